// Reads a shop's QR code on /points/pay, in the browser: from the camera (getUserMedia) or a
// photo, with jsQR (served beside this file). The picture never leaves the device: only the
// decoded text is put in the form, which is then sent. Without this script the form still
// works with the text pasted.
(() => {
  const form = document.getElementById('scan-form');
  const jsQR = window.jsQR;
  if (!form || typeof jsQR !== 'function') return;
  const panel = form.querySelector('.qr-scan');
  const cameraButton = document.getElementById('scan-camera');
  const stopButton = document.getElementById('scan-stop');
  const photo = document.getElementById('scan-photo');
  const video = document.getElementById('scan-video');
  const status = document.getElementById('scan-status');
  const field = document.getElementById('qr');
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d', { willReadFrequently: true });
  let stream = null;

  panel.hidden = false;
  if (navigator.mediaDevices?.getUserMedia) cameraButton.hidden = false;

  /** The code's bytes as UTF-8 (a shop's Japanese name is), or null. */
  function decode(source, width, height) {
    // Large photos are scaled down: jsQR needs a few pixels per module, not millions.
    const scale = Math.min(1, 1280 / Math.max(width, height));
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    context.drawImage(source, 0, 0, canvas.width, canvas.height);
    const pixels = context.getImageData(0, 0, canvas.width, canvas.height);
    const found = jsQR(pixels.data, pixels.width, pixels.height, { inversionAttempts: 'attemptBoth' });
    return found ? new TextDecoder().decode(new Uint8Array(found.binaryData)) : null;
  }

  function send(text) {
    stop();
    field.value = text;
    form.requestSubmit();
  }

  function stop() {
    if (stream) for (const track of stream.getTracks()) track.stop();
    stream = null;
    video.hidden = true;
    stopButton.hidden = true;
    cameraButton.hidden = !navigator.mediaDevices?.getUserMedia;
  }

  function scanFrame() {
    if (!stream) return;
    if (video.readyState >= video.HAVE_ENOUGH_DATA) {
      const text = decode(video, video.videoWidth, video.videoHeight);
      if (text) return send(text);
    }
    requestAnimationFrame(scanFrame);
  }

  cameraButton.addEventListener('click', async () => {
    status.textContent = '';
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        video: { facingMode: 'environment' },
        audio: false,
      });
    } catch {
      status.textContent = form.dataset.noCamera;
      return;
    }
    video.srcObject = stream;
    video.hidden = false;
    cameraButton.hidden = true;
    stopButton.hidden = false;
    await video.play();
    requestAnimationFrame(scanFrame);
  });
  stopButton.addEventListener('click', stop);

  photo.addEventListener('change', async () => {
    const file = photo.files?.[0];
    if (!file) return;
    status.textContent = '';
    let text = null;
    try {
      const bitmap = await createImageBitmap(file);
      text = decode(bitmap, bitmap.width, bitmap.height);
      bitmap.close();
    } catch {
      text = null;
    }
    photo.value = '';
    if (text) send(text);
    else status.textContent = form.dataset.notFound;
  });
})();
