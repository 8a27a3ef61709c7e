// Inlined into the pages with exports: saves a file the page computed, as a download. For a
// PNG the page hands an SVG, drawn here on a canvas of the SVG's own size on white.
window.postroomSave = function (name, type, bytes) {
  function save(blob) {
    var a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(a.href); }, 60000);
  }
  if (type !== 'image/png') return save(new Blob([bytes], { type: type }));
  var image = new Image();
  image.onload = function () {
    var canvas = document.createElement('canvas');
    canvas.width = image.naturalWidth;
    canvas.height = image.naturalHeight;
    var g = canvas.getContext('2d');
    g.fillStyle = '#fff';
    g.fillRect(0, 0, canvas.width, canvas.height);
    g.drawImage(image, 0, 0);
    URL.revokeObjectURL(image.src);
    canvas.toBlob(save, 'image/png');
  };
  image.src = URL.createObjectURL(new Blob([bytes], { type: 'image/svg+xml' }));
};
