/**
 * EXIF Orientation (EXIF 2.32 §4.6.4 A, tag 0x0112) as a canvas transform. The value says where
 * the stored 0th row and 0th column belong when displayed; we bake that into the pixels because
 * the output carries no EXIF to say it.
 */

/** [a, b, c, d, e, f] for setTransform: stored (x, y) → displayed (a·x + c·y + e, b·x + d·y + f). */
export type Transform = readonly [number, number, number, number, number, number];

/** Values 5–8 turn the image a quarter, so the displayed width is the stored height. */
export function swapsAxes(orientation: number): boolean {
  return orientation >= 5 && orientation <= 8;
}

export function displayedSize(width: number, height: number, orientation: number) {
  return swapsAxes(orientation) ? { width: height, height: width } : { width, height };
}

/** The transform that draws a stored w × h image in its displayed orientation. */
export function orientationTransform(orientation: number, w: number, h: number): Transform {
  switch (orientation) {
    case 2: // 0th row top, 0th column right: mirrored left–right
      return [-1, 0, 0, 1, w, 0];
    case 3: // 0th row bottom, 0th column right: turned 180°
      return [-1, 0, 0, -1, w, h];
    case 4: // 0th row bottom, 0th column left: mirrored top–bottom
      return [1, 0, 0, -1, 0, h];
    case 5: // 0th row left, 0th column top: transposed
      return [0, 1, 1, 0, 0, 0];
    case 6: // 0th row right, 0th column top: turn 90° clockwise
      return [0, 1, -1, 0, h, 0];
    case 7: // 0th row right, 0th column bottom: transverse
      return [0, -1, -1, 0, h, w];
    case 8: // 0th row left, 0th column bottom: turn 90° anticlockwise
      return [0, -1, 1, 0, 0, w];
    default:
      return [1, 0, 0, 1, 0, 0];
  }
}

/** Where stored pixel (x, y) lands when displayed: for tests and for reasoning about the above. */
export function displayedPoint(orientation: number, w: number, h: number, x: number, y: number) {
  const [a, b, c, d, e, f] = orientationTransform(orientation, w, h);
  return { x: a * x + c * y + e, y: b * x + d * y + f };
}
