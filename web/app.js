// attache dashboard: its entry point, a classic deferred script (index.html
// loads it with <script src="app.js" defer>, as the server's tests expect).
// It lays out the view the URL asks for before any data comes, so that
// nothing moves when it does, then loads the dashboard proper: the ES module
// main.js and the modules it imports. If they cannot load, it says so.
'use strict';
(function boot() {
  const $ = (id) => document.getElementById(id);

  function fail(technical) {
    $('error-text').textContent = 'The dashboard could not start. Reloading the page may help.';
    $('error-technical').textContent = technical;
    $('error-retry').addEventListener('click', () => location.reload());
    $('error-close').addEventListener('click', () => { $('error').hidden = true; });
    $('error').hidden = false;
    document.documentElement.dataset.busy = 'false';
  }

  // One deal's page (?deal=ID), or one source's (?source=ID), takes the place of the overview.
  const params = new URLSearchParams(location.search);
  if (params.get('deal') || params.get('source')) {
    $('overview').hidden = true;
    $('detail').hidden = false;
    $('detail').setAttribute('aria-busy', 'true');
    const note = document.createElement('p');
    note.className = 'muted';
    note.textContent = params.get('deal') ? 'Loading the deal…' : 'Loading the source…';
    $('detail').replaceChildren(note);
  }

  if (!('noModule' in HTMLScriptElement.prototype)) {
    fail('This browser does not run JavaScript modules.');
    return;
  }
  import('./main.js').catch((e) => fail(`main.js: ${e && e.message}`));
}());
