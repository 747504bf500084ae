/**
 * Presenter of the hex pane: which data source is shown (the frame, or reassembled/decompressed data in
 * further tabs), the selected item's bytes to highlight, and a click on a byte selecting the deepest field
 * that covers it (its layers are expanded so it shows in the tree).
 */
import { useEffect, useState } from 'react';
import { appStore, useApp, type FrameDetail } from '../../store';
import { deepestAt, describe, nodesOnPath } from '../detail-tree/tree-model';

export function highlightOf(item: { source: number; offset: number; length: number } | null, source: number): { start: number; end: number } | null {
  if (!item || item.source !== source || item.length <= 0) return null;
  return { start: item.offset, end: item.offset + item.length };
}

export function useHexPane(detail: FrameDetail | null) {
  const item = useApp((s) => s.selectedItem);
  const [tab, setTab] = useState(0);
  const sources = detail?.sources ?? [];
  // Follow the selected item to the data source its bytes are in.
  useEffect(() => {
    if (item && item.source < sources.length) setTab(item.source);
  }, [item, sources.length]);
  useEffect(() => {
    if (tab >= sources.length) setTab(0);
  }, [tab, sources.length]);

  const active = Math.min(tab, Math.max(0, sources.length - 1));
  const bytes = sources[active]?.bytes ?? null;

  const onByteClick = (offset: number) => {
    if (!detail) return;
    const path = deepestAt(detail.tree, active, offset);
    if (!path) return;
    const st = appStore.getState();
    const chain = nodesOnPath(detail.tree, path);
    st.setExpanded(
      chain.slice(0, -1).map((n) => n.field),
      true,
    );
    st.selectItem(describe(detail, path));
  };

  return {
    tabs: sources.map((s, i) => ({ index: i, name: s.name })),
    active,
    setTab,
    bytes,
    highlight: highlightOf(item, active),
    onByteClick,
    frame: detail?.frame ?? null,
  };
}
