// Behaviour of our pages, from a file: the Content-Security-Policy allows no inline script.
// Listening on the document keeps working across viewflow's Turbo page changes.
document.addEventListener("change", function (event) {
  // A filter that applies as soon as it is chosen (the referral list's stage).
  if (event.target.matches("select[data-autosubmit]")) {
    event.target.form.submit();
  }
});
