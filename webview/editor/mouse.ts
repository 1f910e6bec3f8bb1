/**
 * Pointer input on the grid: click places the cursor (and picks the pane),
 * shift+click extends, dragging selects (auto-scrolling past the top or
 * bottom edge), hover highlights the byte in both panes, the wheel scrolls.
 */
import type { HexEditor } from './editor';

export function installMouse(editor: HexEditor): void {
  const grid = editor.grid;
  let dragging = false;
  let autoScroll: ReturnType<typeof setInterval> | undefined;

  const offsetOf = (e: PointerEvent): { offset: number; pane: 'hex' | 'text' } | undefined => {
    const cell = editor.renderer.cellAt(e.clientX, e.clientY);
    if (!cell) return undefined;
    return { offset: Math.min(cell.offset, editor.lastCursor), pane: cell.pane }; // insert mode: the place after the last byte too
  };

  grid.addEventListener('pointerdown', (e) => {
    if (e.button !== 0) return;
    const hit = offsetOf(e);
    if (!hit) return;
    e.preventDefault();
    grid.focus({ preventScroll: true });
    if (hit.pane !== editor.sel.pane) editor.setPane(hit.pane);
    editor.moveCursor(hit.offset, e.shiftKey);
    dragging = true;
    grid.setPointerCapture(e.pointerId);
  });

  grid.addEventListener('pointermove', (e) => {
    const hit = offsetOf(e);
    if (dragging) {
      const box = grid.getBoundingClientRect();
      clearInterval(autoScroll);
      autoScroll = undefined;
      if (e.clientY < box.top || e.clientY > box.bottom) {
        const step = e.clientY < box.top ? -1 : 1;
        const extendTo = (): void => {
          editor.scrollRows(step);
          const edge = step < 0 ? editor.topOffset : Math.min(editor.fileSize - 1, editor.topOffset + editor.scroll.fullRows * editor.bytesPerRow - 1);
          editor.moveCursor(edge, true);
        };
        extendTo();
        autoScroll = setInterval(extendTo, 50);
      } else if (hit) {
        editor.moveCursor(hit.offset, true);
      }
      return;
    }
    const hover = hit ? hit.offset : -1;
    if (hover !== editor.hover) { editor.hover = hover; editor.requestFrame(); }
  });

  const endDrag = (): void => { dragging = false; clearInterval(autoScroll); autoScroll = undefined; };
  grid.addEventListener('pointerup', endDrag);
  grid.addEventListener('pointercancel', endDrag);
  grid.addEventListener('pointerleave', () => {
    if (editor.hover !== -1) { editor.hover = -1; editor.requestFrame(); }
  });

  editor.viewport.addEventListener('wheel', (e) => {
    e.preventDefault();
    editor.wheel(e.deltaY, e.deltaMode);
  }, { passive: false });
}
