/**
 * The header row over the grid: "Offset", a label over each hex column (its
 * offset in the row, layout.ts) and the text pane's title. Each label is
 * placed at its column's x from the canvas's geometry rather than laid out
 * one after another: 64 CSS widths would each round to layout units and
 * drift off their columns.
 */
import type { Geometry } from './geometry';
import { columnLabel } from './layout';

/** The scrollbar's width (editor.css .scrollbar): fit to width leaves it free. */
export const SCROLLBAR_WIDTH = 14;

export function renderHeader(root: HTMLElement, g: Geometry, textTitle: string): void {
  const header = root.querySelector('.header')!;
  const addr = document.createElement('div');
  addr.className = 'addr';
  addr.textContent = 'Offset'.padEnd(g.addressDigits, '\u00a0');
  const hex = document.createElement('div');
  hex.className = 'hex';
  const last = g.bytesPerRow - 1;
  hex.style.width = `${g.hexX(last) + g.hexCellWidth - g.hexStart}px`;
  for (let c = 0; c <= last; c++) {
    const label = document.createElement('span');
    label.className = 'hc';
    label.textContent = columnLabel(c, g.cellFormat);
    label.style.left = `${g.hexX(c) - g.hexStart}px`;
    label.style.width = `${g.hexCellWidth}px`;
    hex.appendChild(label);
  }
  const txt = document.createElement('div');
  txt.className = 'txt';
  txt.textContent = textTitle;
  header.replaceChildren(addr, hex, txt);
}
