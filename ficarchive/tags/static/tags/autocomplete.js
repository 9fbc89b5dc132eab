// Suggestions for tag name fields: an input with data-autocomplete (the lookup URL),
// data-type and data-canonical fills its <datalist> as the wrangler types.
(function () {
  "use strict";
  function attach(input) {
    var list = document.getElementById(input.getAttribute("list"));
    var timer = null;
    var last = "";
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var query = input.value.trim();
        if (query.length < 2 || query === last) return;
        last = query;
        var params = new URLSearchParams({ q: query });
        if (input.dataset.type) params.set("type", input.dataset.type);
        if (input.dataset.canonical) params.set("canonical", input.dataset.canonical);
        fetch(input.dataset.autocomplete + "?" + params.toString(), {
          headers: { Accept: "application/json" },
        })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) {
            list.replaceChildren.apply(list, data.results.map(function (tag) {
              var option = document.createElement("option");
              option.value = tag.name;
              return option;
            }));
          })
          .catch(function () {});
      }, 150);
    });
  }
  document.querySelectorAll("input[data-autocomplete][list]").forEach(attach);
})();
