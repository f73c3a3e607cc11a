/*
 * Vetted's verification button (SPEC §8). Partners include this script and mark an element:
 *
 *   <span id="vetted-button" data-scope="military" data-client-id="…" data-redirect="https://shop/callback"
 *         data-response="code" data-state="…" data-display="popup"></span>
 *
 * It renders an accessible <button> in the element's shadow root and starts the authorization: a full-page
 * redirect (default) or a popup. On the redirect page, `Vetted.completePopup()` hands the callback URL back to
 * the opener, which fires `vetted:complete` on the element and, unless the listener calls preventDefault(),
 * navigates to that URL (`vetted:cancel` if the user closes the popup first). `#idme-wallet-button` and
 * ID.me's data-* names work unchanged. The shadow root exposes no ::part: partners pick a variant
 * (data-theme, data-size), not a style. Dependency-free; the only global is `window.Vetted`.
 */
(function (window) {
  'use strict';
  if (window.Vetted) return; // included twice (button.js and idme-wallet-button.js): one instance

  var MESSAGE_TYPE = 'vetted:popup-complete';
  var SELECTOR = '#vetted-button, #idme-wallet-button, [data-vetted-button]';
  var LABELS = {
    military: 'military status',
    responder: 'first responder status',
    first_responder: 'first responder status',
    student: 'student status',
    teacher: 'teacher status',
    government: 'government employee status',
    nurse: 'nurse status',
    medical: 'medical professional status',
    doctor: 'doctor status',
    alumni: 'alumni status',
    employee: 'employee status',
  };
  var CHOICES = {
    response: ['code', 'token'],
    display: ['fullpage', 'popup'],
    op: ['signin', 'signup'],
    theme: ['light', 'dark'],
    size: ['small', 'medium', 'large'],
  };
  var SCOPE_PATTERN = /^[A-Za-z0-9_.:-]+( [A-Za-z0-9_.:-]+)*$/;

  var document = window.document;
  var SCRIPT_PATH = /\/js\/(?:button(?:\.[\w-]+)?|idme-wallet-button)\.js(?:[?#]|$)/;
  var vettedOrigin = findVettedOrigin();
  var rendered = new WeakSet();
  var reported = new WeakSet(); // elements whose problem was logged: once each, however often render() runs

  /** The origin that served this script: where the button sends users. */
  function findVettedOrigin() {
    if (!document) return null;
    var current = document.currentScript;
    if (current && current.src) return new URL(current.src, window.location.href).origin;
    var scripts = document.querySelectorAll('script[src]');
    for (var i = 0; i < scripts.length; i += 1) {
      if (SCRIPT_PATH.test(scripts[i].src)) return new URL(scripts[i].src, window.location.href).origin;
    }
    return null;
  }

  /**
   * A button's settings from its data-* attributes: `{ options }`, or `{ problem }` naming what is missing
   * or wrong. `element` needs only getAttribute().
   */
  function readOptions(element) {
    function get(name) {
      var value = element.getAttribute('data-' + name);
      return value === null ? null : String(value).trim();
    }
    function choice(name, fallback) {
      var value = get(name);
      if (value === null || value === '') return { value: fallback };
      var lower = value.toLowerCase();
      if (CHOICES[name].indexOf(lower) < 0) {
        return { problem: 'data-' + name + '="' + value + '" must be one of: ' + CHOICES[name].join(', ') };
      }
      return { value: lower };
    }

    var scopeText = get('scope') || get('scopes');
    if (!scopeText) return { problem: 'data-scope is missing (the community to verify, e.g. "military")' };
    var scopes = scopeText
      .split(',')
      .map(function (scope) {
        return scope.trim().replace(/\s+/g, ' ');
      })
      .filter(function (scope) {
        return scope !== '';
      });
    for (var i = 0; i < scopes.length; i += 1) {
      if (!SCOPE_PATTERN.test(scopes[i]))
        return { problem: 'data-scope has an invalid scope: "' + scopes[i] + '"' };
    }
    if (scopes.length === 0) return { problem: 'data-scope is empty' };

    var clientId = get('client-id');
    if (!clientId) return { problem: 'data-client-id is missing (your application’s client_id)' };
    var redirect = get('redirect');
    if (!redirect) return { problem: 'data-redirect is missing (one of your registered redirect URIs)' };
    var redirectUrl = parseUrl(redirect);
    if (!redirectUrl || (redirectUrl.protocol !== 'https:' && redirectUrl.protocol !== 'http:')) {
      return { problem: 'data-redirect must be an absolute http(s) URL, not "' + redirect + '"' };
    }
    var logo = get('logo');
    if (logo && !parseUrl(logo)) return { problem: 'data-logo must be an absolute URL, not "' + logo + '"' };

    var response = choice('response', 'code');
    var display = choice('display', 'fullpage');
    var op = choice('op', null);
    var theme = choice('theme', 'light');
    var size = choice('size', 'medium');
    var checked = [response, display, op, theme, size];
    for (var j = 0; j < checked.length; j += 1)
      if (checked[j].problem) return { problem: checked[j].problem };

    return {
      options: {
        scopes: scopes,
        clientId: clientId,
        redirectUri: redirect,
        responseType: response.value,
        state: get('state') || null,
        op: op.value,
        display: display.value,
        logo: logo || null,
        text: get('text') || null,
        theme: theme.value,
        size: size.value,
      },
    };
  }

  /** Where the button sends the user: the community picker for several communities, else the authorization. */
  function verificationUrl(options, origin) {
    var several = options.scopes.length > 1;
    var url = new URL(several ? '/groups' : '/oauth/authorize', origin || vettedOrigin);
    var params = url.searchParams;
    params.set('client_id', options.clientId);
    params.set('redirect_uri', options.redirectUri);
    params.set('response_type', options.responseType);
    params.set(several ? 'scopes' : 'scope', options.scopes.join(','));
    if (options.state !== null) params.set('state', options.state);
    if (options.op !== null) params.set('op', options.op);
    if (options.logo !== null) params.set('logo_url', options.logo);
    return url.toString();
  }

  function labelFor(options) {
    if (options.text) return options.text;
    if (options.scopes.length > 1) return 'Verify your status with Vetted';
    var community = LABELS[options.scopes[0].replace(/_canada$/, '')];
    return community ? 'Verify ' + community + ' with Vetted' : 'Verify with Vetted';
  }

  function parseUrl(value) {
    try {
      return new URL(value);
    } catch {
      return null;
    }
  }

  function describe(element) {
    return element.id ? '#' + element.id : '<' + element.tagName.toLowerCase() + ' data-vetted-button>';
  }

  var CSS =
    ':host{display:inline-block;max-width:100%}' +
    'button{all:initial;box-sizing:border-box;display:inline-flex;align-items:center;gap:.5em;cursor:pointer;' +
    'font:600 15px/1.2 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;min-height:40px;padding:8px 16px;' +
    'border-radius:6px;border:1px solid #1d4ed8;background:#1d4ed8;color:#fff;max-width:100%;text-align:left}' +
    'button:hover{background:#1e40af;border-color:#1e40af}' +
    'button:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}' +
    'svg{width:1.35em;height:1.35em;flex:none}.shield{fill:#fff}.check{fill:none;stroke:#1d4ed8;stroke-width:2.2;' +
    'stroke-linecap:round;stroke-linejoin:round}' +
    '.dark{background:#fff;color:#1e3a8a;border-color:#fff}.dark:hover{background:#dbeafe;border-color:#dbeafe}' +
    '.dark .shield{fill:#1d4ed8}.dark .check{stroke:#fff}' +
    '.small{font-size:13px;min-height:32px;padding:6px 12px}.large{font-size:17px;min-height:48px;padding:10px 20px}';

  function applyStyles(root) {
    if (root.adoptedStyleSheets !== undefined && typeof CSSStyleSheet === 'function') {
      try {
        // A constructed sheet is not an inline <style>: it works under a partner's strict style-src CSP.
        var sheet = new CSSStyleSheet();
        sheet.replaceSync(CSS);
        root.adoptedStyleSheets = [sheet];
        return;
      } catch {
        /* older engines: fall through to a <style> element */
      }
    }
    var style = document.createElement('style');
    style.textContent = CSS;
    root.appendChild(style);
  }

  function mark() {
    var ns = 'http://www.w3.org/2000/svg';
    var svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    var paths = [
      ['shield', 'M12 1.5 3 5v6.2c0 5.3 3.8 10.2 9 11.3 5.2-1.1 9-6 9-11.3V5l-9-3.5Z'],
      ['check', 'm7.5 12.2 3 3 6-6.2'],
    ];
    paths.forEach(function (definition) {
      var path = document.createElementNS(ns, 'path');
      path.setAttribute('class', definition[0]);
      path.setAttribute('d', definition[1]);
      svg.appendChild(path);
    });
    return svg;
  }

  function report(host, problem) {
    if (!reported.has(host))
      window.console.error('Vetted button ' + describe(host) + ' not shown: ' + problem + '.');
    reported.add(host);
  }

  function renderButton(host) {
    if (rendered.has(host)) return;
    if (!vettedOrigin) return report(host, 'this script was not loaded from a Vetted server’s /js/button.js');
    var read = readOptions(host);
    if (read.problem) return report(host, read.problem);
    var options = read.options;
    var root;
    try {
      root = host.attachShadow({ mode: 'open' });
    } catch {
      return report(host, 'use a <span> or <div> element (one without a shadow root of its own)');
    }
    rendered.add(host);
    applyStyles(root);
    var button = document.createElement('button');
    button.type = 'button';
    button.className = options.theme + ' ' + options.size;
    var label = document.createElement('span');
    label.textContent = labelFor(options);
    button.appendChild(mark());
    button.appendChild(label);
    button.addEventListener('click', function () {
      start(host, options);
    });
    root.appendChild(button);
    if (options.display === 'popup') {
      // Said to assistive technology as the button's description (a hidden element may describe).
      var description = document.createElement('span');
      description.id = 'vetted-button-description';
      description.hidden = true;
      description.textContent = 'Opens Vetted in a new window';
      button.setAttribute('aria-describedby', description.id);
      root.appendChild(description);
    }
  }

  function start(host, options) {
    var url = verificationUrl(options);
    if (options.display === 'popup') {
      var popup = openPopup(url);
      if (popup) return awaitPopup(host, popup, new URL(options.redirectUri));
    }
    window.location.assign(url); // full page, or the popup was blocked
  }

  function openPopup(url) {
    var width = 500;
    var height = 720;
    var left = Math.round(window.screenX + Math.max(0, (window.outerWidth - width) / 2));
    var top = Math.round(window.screenY + Math.max(0, (window.outerHeight - height) / 2));
    var features = 'popup=yes,width=' + width + ',height=' + height + ',left=' + left + ',top=' + top;
    try {
      return window.open(url, 'vetted-verification', features);
    } catch {
      return null;
    }
  }

  var stopAwaiting = null; // for the popup opened last: a second click replaces it

  /**
   * Waits for the popup's result. If the user closes the popup first, `vetted:cancel` fires on the button
   * (after a moment: the popup's message and its closing may reach this page in either order).
   */
  function awaitPopup(host, popup, redirect) {
    if (stopAwaiting) stopAwaiting();
    var watcher = window.setInterval(function () {
      if (!popup.closed) return;
      window.clearInterval(watcher);
      window.setTimeout(function () {
        if (stopAwaiting !== stop) return; // the result came, or another popup replaced this one
        stop();
        host.dispatchEvent(new CustomEvent('vetted:cancel', { bubbles: true, composed: true }));
      }, 500);
    }, 400);
    function onMessage(event) {
      if (event.source !== popup || event.origin !== redirect.origin) return;
      var data = event.data;
      if (!data || data.type !== MESSAGE_TYPE || typeof data.url !== 'string') return;
      var callback = parseUrl(data.url);
      if (!callback || callback.origin !== redirect.origin || callback.pathname !== redirect.pathname) return;
      stop();
      complete(host, callback);
    }
    function stop() {
      window.removeEventListener('message', onMessage);
      window.clearInterval(watcher);
      if (stopAwaiting === stop) stopAwaiting = null;
    }
    stopAwaiting = stop;
    window.addEventListener('message', onMessage);
  }

  /** The callback's parameters (query for `code`, fragment for `token`) as the event's detail. */
  function callbackDetail(callback) {
    var detail = { url: callback.toString() };
    var sources = [callback.searchParams, new URLSearchParams(callback.hash.replace(/^#/, ''))];
    sources.forEach(function (params) {
      params.forEach(function (value, name) {
        detail[name] = value;
      });
    });
    return detail;
  }

  function complete(host, callback) {
    var event = new CustomEvent('vetted:complete', {
      detail: callbackDetail(callback),
      bubbles: true,
      composed: true,
      cancelable: true,
    });
    if (host.dispatchEvent(event)) window.location.assign(callback.toString());
  }

  /**
   * On the redirect page: in a popup opened by the button, passes this page's URL to the opener and closes.
   * Returns false (and does nothing) when the page is not in such a popup, e.g. after a full-page redirect.
   * `targetOrigin` is needed only when the button's page and the redirect URI have different origins.
   */
  function completePopup(settings) {
    var opener = window.opener;
    if (!opener || opener === window || opener.closed) return false;
    var targetOrigin = settings && settings.targetOrigin;
    if (!targetOrigin) {
      try {
        if (opener.location.origin !== window.location.origin) return false;
      } catch {
        return false; // another site's window opened this one: it gets nothing
      }
      targetOrigin = window.location.origin;
    }
    opener.postMessage({ type: MESSAGE_TYPE, url: window.location.href }, targetOrigin);
    window.close();
    return true;
  }

  /** Renders every button under `root` (default: the document) that is not rendered yet. */
  function render(root) {
    var scope = root || document;
    var hosts = scope.querySelectorAll(SELECTOR);
    for (var i = 0; i < hosts.length; i += 1) renderButton(hosts[i]);
  }

  window.Vetted = {
    render: render,
    completePopup: completePopup,
    readOptions: readOptions,
    verificationUrl: verificationUrl,
  };

  if (!document) return;
  if (document.readyState === 'loading')
    document.addEventListener('DOMContentLoaded', function () {
      render();
    });
  else render();
})(window);
