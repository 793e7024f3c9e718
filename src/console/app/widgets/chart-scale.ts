/** The smallest 1, 2 or 5 × 10ⁿ at or above `max` (at least 1), so gridlines fall on round numbers. */
export function niceMax(max: number): number {
  if (max <= 1) return 1
  const power = 10 ** Math.floor(Math.log10(max))
  for (const step of [1, 2, 5, 10]) if (step * power >= max) return step * power
  return 10 * power
}

const COMPACT = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 })

/** 1.2K, 3.4M: axis labels that fit. */
export function compact(value: number): string {
  return COMPACT.format(value)
}

/**
 * Draws with `draw(width)` now and again whenever the container's width changes, so the SVG's
 * coordinates are CSS pixels and its text keeps its size from 360 px phones to desktops. The
 * container's height is fixed by CSS, so nothing around it moves while data loads.
 */
export function drawToWidth(container: HTMLElement, draw: (width: number) => Element): void {
  let drawn = -1
  const redraw = () => {
    const width = Math.max(240, Math.floor(container.clientWidth))
    if (width === drawn) return
    drawn = width
    container.replaceChildren(draw(width))
  }
  // Not yet in the page: the observer draws it as soon as it is laid out.
  if (container.isConnected) redraw()
  new ResizeObserver(redraw).observe(container)
}
