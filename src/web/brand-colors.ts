/** A partner's colour on Vetted's pages, kept readable: white text on it needs WCAG AA contrast (4.5:1). */

const channel = (value: number) => {
  const c = value / 255;
  return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
};

function parse(hex: string): [number, number, number] {
  const value = Number.parseInt(hex.slice(1), 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}

const toHex = (rgb: readonly number[]) =>
  `#${rgb.map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;

export function contrastWithWhite(hex: string): number {
  const [r, g, b] = parse(hex).map(channel) as [number, number, number];
  return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05);
}

/** The colour darkened just enough for white text on it to reach 4.5:1 (unchanged when it already does). */
export function readablePrimary(hex: string): string {
  let rgb = parse(hex);
  for (let step = 0; step < 100 && contrastWithWhite(toHex(rgb)) < 4.5; step += 1) {
    rgb = rgb.map((c) => c * 0.95) as [number, number, number];
  }
  return toHex(rgb);
}

/** The stylesheet that gives an application's pages its colour (served at /branding/<client_id>/<colour>.css). */
export function brandStylesheet(hex: string): string {
  const primary = readablePrimary(hex);
  const hover = toHex(parse(primary).map((c) => c * 0.85));
  return `:root{--primary:${primary};--primary-hover:${hover};--focus:${primary};}\n`;
}
