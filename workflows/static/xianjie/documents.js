// A document renders after its step commits: show its progress; reload when it ends.
document.querySelectorAll(".xj-render[data-status-url]").forEach(function (el) {
  var timer = setInterval(function () {
    fetch(el.dataset.statusUrl, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (s) {
      el.querySelector("progress").value = s.progress;
      el.querySelector(".xj-render-label").textContent = s.label;
      if (s.ready || s.state === "failed") { clearInterval(timer); location.reload(); }
    }).catch(function () { clearInterval(timer); });
  }, 2000);
});
