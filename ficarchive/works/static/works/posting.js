// The posting and search forms: suggestions for comma-separated tag fields from the tag
// autocomplete,
// and a warning before leaving a form with changes that were not submitted. The forms work
// without it.
(function () {
  "use strict";
  function attach(input) {
    var list = document.getElementById(input.getAttribute("list"));
    if (!list || input.dataset.suggesting) return;
    input.dataset.suggesting = "on";
    var timer = null;
    var last = "";
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var value = input.value;
        var cut = value.lastIndexOf(",");
        var before = cut >= 0 ? value.slice(0, cut + 1) + " " : "";
        var query = value.slice(cut + 1).trim();
        if (query.length < 2 || value === last) return;
        last = value;
        var params = new URLSearchParams({ q: query });
        if (input.dataset.type) params.set("type", input.dataset.type);
        fetch(input.dataset.autocomplete + "?" + params.toString(), {
          headers: { Accept: "application/json" },
        })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) {
            // Each option is the whole field's value with the last tag completed, so that
            // choosing one keeps the tags typed before it.
            list.replaceChildren.apply(list, data.results.map(function (tag) {
              var option = document.createElement("option");
              option.value = before + tag.name;
              return option;
            }));
          })
          .catch(function () {});
      }, 150);
    });
  }
  function attachAll() {
    document.querySelectorAll("input[data-tag-list][data-autocomplete][list]").forEach(attach);
  }
  attachAll();
  // Filter sidebars are replaced by htmx when a listing is filtered.
  document.addEventListener("htmx:afterSettle", attachAll);

  document.querySelectorAll("form.posting").forEach(function (form) {
    var changed = false;
    form.addEventListener("input", function () { changed = true; });
    form.addEventListener("submit", function () { changed = false; });
    window.addEventListener("beforeunload", function (event) {
      if (changed) { event.preventDefault(); event.returnValue = ""; }
    });
  });
})();
