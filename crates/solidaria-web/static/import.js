// The import page's file picker: reads the chosen file into the text area (which is what the
// form sends) and its name into the name field, so the format can be told from the extension.
// Without scripts, records are pasted into the text area.
(function () {
  'use strict';
  var file = document.getElementById('file');
  if (!file || !window.FileReader) return;
  file.addEventListener('change', function () {
    var f = file.files && file.files[0];
    if (!f) return;
    var reader = new FileReader();
    reader.onload = function () {
      document.getElementById('records').value = String(reader.result);
      document.getElementById('name').value = f.name;
    };
    reader.readAsText(f);
  });
})();
