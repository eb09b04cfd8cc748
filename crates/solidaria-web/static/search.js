// Search as you type (htmx) must not fail silently: when a search is refused or the server
// cannot be reached, htmx keeps the previous results on screen; this says so in the status line
// above them (its words, in the page's language, are in its data-failed attribute) and marks the
// results as stale until a search succeeds.
(function () {
  function status() { return document.getElementById('search-status'); }
  function results() { return document.getElementById('results'); }
  function fail(detail) {
    var s = status();
    if (!s) return;
    s.textContent = s.getAttribute('data-failed') + (detail ? ' (' + detail + ')' : '');
    s.hidden = false;
    var r = results();
    if (r) r.setAttribute('data-stale', 'true');
  }
  document.addEventListener('htmx:responseError', function (e) {
    var xhr = e.detail && e.detail.xhr;
    var text = '';
    if (xhr && xhr.responseText) {
      // The error comes as JSON (htmx does not ask for HTML) or, through a proxy, as a page.
      try {
        text = JSON.parse(xhr.responseText).error.message;
      } catch (_) {
        var m = new DOMParser().parseFromString(xhr.responseText, 'text/html').querySelector('.error-message');
        text = m ? m.textContent.trim() : String(xhr.status);
      }
    }
    fail(text);
  });
  document.addEventListener('htmx:sendError', function () { fail(''); });
  document.addEventListener('htmx:afterSwap', function () {
    var s = status();
    if (s) { s.hidden = true; s.textContent = ''; }
    var r = results();
    if (r) r.removeAttribute('data-stale');
  });
})();
