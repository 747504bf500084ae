/**
 * Presenter of the detail tree: items, expansion (remembered by field, so an open layer stays open from
 * frame to frame), selection, and the context menu's filter and copy actions.
 */
import { useCallback, useMemo, useState } from 'react';
import { appStore, useApp, type FrameDetail } from '../../store';
import type { TreeItem } from '../../widgets/tree-view/TreeView';
import type { MenuItem } from '../../widgets/context-menu/ContextMenu';
import { combineFilter, describe, fieldsBelow, FILTER_OPS, nodeAt, toTreeItems } from './tree-model';

export function focusFilterInput(): void {
  const el = document.getElementById('filter-input') as HTMLInputElement | null;
  el?.focus();
  el?.setSelectionRange(el.value.length, el.value.length);
}

async function copy(text: string, what: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    appStore.getState().notify(`Copied ${what}`);
  } catch {
    appStore.getState().notify('The browser did not allow copying to the clipboard');
  }
}

/** The context menu of a tree item (pure apart from the actions it calls). */
export function menuFor(detail: FrameDetail, path: string, actions: { apply(f: string): void; prepare(f: string): void; copy(text: string, what: string): void; expand(open: boolean): void }, current: string): MenuItem[] {
  const n = nodeAt(detail.tree, path);
  if (!n) return [];
  const f = n.filter;
  const ops = (run: (text: string) => void): MenuItem[] => FILTER_OPS.map(({ op, label }) => ({ label, disabled: !f, onSelect: () => run(combineFilter(current, f, op)) }));
  return [
    { label: 'Apply as Filter', disabled: !f, items: ops(actions.apply) },
    { label: 'Prepare as Filter', disabled: !f, items: ops(actions.prepare) },
    { label: 'Copy Value', disabled: n.value === undefined, onSelect: () => actions.copy(n.value ?? '', 'the value'), separatorBefore: true },
    { label: 'Copy as Filter', disabled: !f, onSelect: () => actions.copy(f, 'the filter') },
    { label: 'Copy Description', onSelect: () => actions.copy(n.label, 'the description') },
    { label: 'Expand Subtrees', disabled: !n.children, onSelect: () => actions.expand(true), separatorBefore: true },
    { label: 'Collapse Subtrees', disabled: !n.children, onSelect: () => actions.expand(false) },
  ];
}

export function useDetailTree(detail: FrameDetail | null) {
  const expanded = useApp((s) => s.expanded);
  const selectedPath = useApp((s) => s.selectedItem?.path ?? null);
  const [menu, setMenu] = useState<{ x: number; y: number; path: string } | null>(null);

  const items = useMemo(() => (detail ? toTreeItems(detail.tree) : []), [detail]);

  const isExpanded = useCallback(
    (item: TreeItem) => {
      const n = detail ? nodeAt(detail.tree, item.id) : null;
      return !!n && expanded[n.field] === true;
    },
    [detail, expanded],
  );

  const onSelect = useCallback(
    (item: TreeItem) => {
      if (!detail) return;
      appStore.getState().selectItem(describe(detail, item.id));
    },
    [detail],
  );

  const onToggle = useCallback(
    (item: TreeItem, open: boolean) => {
      const n = detail && nodeAt(detail.tree, item.id);
      if (n) appStore.getState().setExpanded([n.field], open);
    },
    [detail],
  );

  const onToggleAll = useCallback(
    (item: TreeItem, open: boolean) => {
      const n = detail && nodeAt(detail.tree, item.id);
      if (n) appStore.getState().setExpanded(fieldsBelow(n), open);
    },
    [detail],
  );

  const menuItems = (): MenuItem[] => {
    if (!detail || !menu) return [];
    const st = appStore.getState();
    return menuFor(
      detail,
      menu.path,
      {
        apply: (f) => {
          st.setFilterText(f);
          void st.applyFilter(f);
        },
        prepare: (f) => {
          st.setFilterText(f);
          setTimeout(focusFilterInput, 0);
        },
        copy: (t, what) => void copy(t, what),
        expand: (open) => {
          const n = nodeAt(detail.tree, menu.path);
          if (n) st.setExpanded(fieldsBelow(n), open);
        },
      },
      st.appliedFilter,
    );
  };

  return {
    items,
    isExpanded,
    selected: selectedPath,
    onSelect,
    onToggle,
    onToggleAll,
    onContextMenu: (item: TreeItem, x: number, y: number) => setMenu({ x, y, path: item.id }),
    menu,
    menuItems,
    closeMenu: () => setMenu(null),
  };
}
