// Behaviour of our pages, from a file: the Content-Security-Policy allows no inline script.
// Listening on the document keeps working across viewflow's Turbo page changes.
document.addEventListener("change", function (event) {
  // A filter that applies as soon as it is chosen (the referral list's stage).
  if (event.target.matches("select[data-autosubmit]")) {
    event.target.form.submit();
  }
});

// On a phone the case page opens with its long sections folded; each <summary> unfolds its
// section. A section holding a form with errors, or the one the address points to, stays open.
document.addEventListener("DOMContentLoaded", function () {
  if (!window.matchMedia("(max-width: 600px)").matches) {
    return;
  }
  var target = location.hash ? document.getElementById(location.hash.slice(1)) : null;
  document.querySelectorAll("details[data-fold-narrow]").forEach(function (section) {
    if (section.querySelector(".errorlist") || (target && section.contains(target))) {
      return;
    }
    section.open = false;
  });
});
