// Loaded by the shop page after Vetted's button.js (which defines window.Vetted). On the callback page: in a
// popup, Vetted.completePopup() hands this page's URL to the opener and closes the popup (the opener then loads
// the same callback URL, which the server answers with a redirect home); in a full page, it returns false and
// the address bar is tidied to / so a reload or a bookmark does not replay the code.
/* global window, history, location */
if (location.pathname.endsWith('/callback')) {
  if (!window.Vetted || !window.Vetted.completePopup()) history.replaceState(null, '', '/');
}
