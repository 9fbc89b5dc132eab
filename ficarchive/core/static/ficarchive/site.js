// Reader settings kept in this browser (localStorage): the colour theme, and whether to hide
// creators' formatting. Loaded in <head> so that a stored theme applies before the first paint;
// without JavaScript the page follows the system theme and the toggles stay hidden.
// For a logged-in reader the page comes with their account's preferences on <html>
// (data-preferences-url), and the toggles save to the account instead of this browser.
(function () {
  "use strict";
  var root = document.documentElement;
  var THEMES = ["system", "light", "dark"];
  var THEME_KEY = "ficarchive-theme";
  var STYLE_KEY = "ficarchive-creator-style";

  var ACCOUNT_URL = root.getAttribute("data-preferences-url");
  var ACCOUNT_FIELDS = {};
  ACCOUNT_FIELDS[THEME_KEY] = "theme";
  ACCOUNT_FIELDS[STYLE_KEY] = "creator_style";

  function stored(key) {
    if (ACCOUNT_URL) return null;
    try { return window.localStorage.getItem(key); } catch (error) { return null; }
  }
  function store(key, value) {
    if (ACCOUNT_URL) {
      var token = document.querySelector('meta[name="csrf-token"]');
      var body = new URLSearchParams();
      body.set(ACCOUNT_FIELDS[key], value);
      fetch(ACCOUNT_URL, {
        method: "POST",
        headers: { "X-CSRFToken": token ? token.content : "" },
        body: body,
        credentials: "same-origin",
      }).catch(function () {});
      return;
    }
    try { window.localStorage.setItem(key, value); } catch (error) { /* private mode: forget */ }
  }
  function currentTheme() { return root.getAttribute("data-theme") || "system"; }
  function applyTheme(theme) {
    if (theme === "light" || theme === "dark") root.setAttribute("data-theme", theme);
    else root.removeAttribute("data-theme");
  }
  function creatorStyleHidden() { return root.getAttribute("data-creator-style") === "hidden"; }
  function applyCreatorStyle(hidden) {
    if (hidden) root.setAttribute("data-creator-style", "hidden");
    else root.removeAttribute("data-creator-style");
  }

  if (!ACCOUNT_URL) {
    applyTheme(stored(THEME_KEY));
    applyCreatorStyle(stored(STYLE_KEY) === "hidden");
  }

  document.addEventListener("DOMContentLoaded", function () {
    var themeButton = document.getElementById("theme-toggle");
    if (themeButton) {
      var showTheme = function () { themeButton.textContent = "Theme: " + currentTheme(); };
      showTheme();
      themeButton.hidden = false;
      themeButton.addEventListener("click", function () {
        var next = THEMES[(THEMES.indexOf(currentTheme()) + 1) % THEMES.length];
        applyTheme(next);
        store(THEME_KEY, next);
        showTheme();
      });
    }
    var styleButtons = document.querySelectorAll(".creator-style-toggle");
    var showStyle = function () {
      styleButtons.forEach(function (button) {
        button.setAttribute("aria-pressed", creatorStyleHidden() ? "true" : "false");
      });
    };
    styleButtons.forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var hidden = !creatorStyleHidden();
        applyCreatorStyle(hidden);
        store(STYLE_KEY, hidden ? "hidden" : "shown");
        showStyle();
      });
    });
    showStyle();
  });
})();
