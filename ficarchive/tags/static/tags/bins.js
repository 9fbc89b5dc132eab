// "All" in a wrangling bin's header ticks or clears every tag of the page; it shows itself
// only where this script runs, and follows the boxes ticked one by one (partly ticked: mixed).
(function () {
  "use strict";
  document.querySelectorAll("input[data-select-all]").forEach(function (all) {
    var form = all.form;
    var name = all.dataset.selectAll;
    function boxes() {
      return Array.prototype.filter.call(form.elements, function (element) {
        return element.type === "checkbox" && element.name === name;
      });
    }
    function follow() {
      var ticked = boxes().filter(function (box) { return box.checked; }).length;
      all.checked = ticked > 0 && ticked === boxes().length;
      all.indeterminate = ticked > 0 && ticked < boxes().length;
    }
    all.addEventListener("change", function () {
      boxes().forEach(function (box) { box.checked = all.checked; });
      all.indeterminate = false;
    });
    boxes().forEach(function (box) { box.addEventListener("change", follow); });
    all.closest(".select-all").hidden = false;
    follow();
  });
})();
