// The dialog a planner sees when their edit was refused because someone else changed the plan first (412): who
// changed it, when and what (the server's lastChange, in Chinese), what their own edit was, and two ways on —
// reload and redo the same edit on the plan as it is now, or just reload and look first.
import type { ApiError } from '../api/problem';
import type { HistoryEntry } from '../api/types';
import { h } from '../ui/dom';
import { actionName, beijingTime, describeChange, entityLabel, roleName } from '../ui/history';

export interface ConflictChoice {
  /** The planner's own edit, in Chinese (「锁定 网格 …」). */
  what: string;
  /** Reloads the plan and runs the edit again (with the new ETag). */
  redo: () => Promise<void>;
  /** Reloads the plan only. */
  reload: () => Promise<void>;
}

/** Shows the conflict dialog for a 412; resolves once the planner chose (or closed it). */
export function showConflict(error: ApiError, choice: ConflictChoice): Promise<void> {
  const last = (error.body.lastChange ?? null) as HistoryEntry | null;
  const current = (error.body.current ?? null) as { revision?: number; status?: string } | null;
  const who = last ? `此方案已被 ${last.user}（${roleName(last.role)}）于 ${beijingTime(last.at)} 修改：${actionName(last.action)}` : '此方案已被他人修改';
  // Every change that write made (the plan's cells, compounds…), each attribute before → after.
  const all = (error.body.lastChanges ?? (last ? [last] : [])) as HistoryEntry[];
  const changes = all.flatMap((c) => describeChange(c).map((line) => (all.length > 1 || c.entity !== 'plan' ? `${entityLabel(c)}：${line}` : line)));
  return new Promise((resolve) => {
    const done = (then?: () => Promise<void>) => async () => {
      overlay.remove();
      document.removeEventListener('keydown', onKey);
      if (then) await then();
      resolve();
    };
    const redoBtn = h('button', { type: 'button', class: 'primary', 'data-testid': 'conflict-redo' }, '重新加载并重做');
    const reloadBtn = h('button', { type: 'button', 'data-testid': 'conflict-reload' }, '仅重新加载');
    const box = h('div', { class: 'conflict-dialog', role: 'alertdialog', 'aria-modal': 'true', 'aria-labelledby': 'conflict-title', 'data-testid': 'conflict-dialog' },
      h('h3', { id: 'conflict-title' }, '方案已被他人修改'),
      h('p', { 'data-testid': 'conflict-who' }, `${who}。`),
      changes.length ? h('ul', { class: 'conflict-changes', 'data-testid': 'conflict-changes' }, ...changes.slice(0, 8).map((c) => h('li', {}, c)),
        changes.length > 8 ? h('li', {}, `…共 ${changes.length} 项改动`) : null) : null,
      h('p', {}, `您的操作「${choice.what}」未执行，没有覆盖对方的修改。`,
        current?.status && current.status !== 'preview' ? ' 注意：方案现已不是预览，不能再编辑。' : ''),
      h('div', { class: 'row buttons' }, redoBtn, reloadBtn),
    );
    const overlay = h('div', { class: 'conflict-overlay' }, box);
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') void done(choice.reload)();
    };
    redoBtn.addEventListener('click', done(choice.redo));
    reloadBtn.addEventListener('click', done(choice.reload));
    redoBtn.disabled = current?.status !== undefined && current.status !== 'preview';
    document.addEventListener('keydown', onKey);
    document.body.append(overlay);
    redoBtn.focus();
  });
}
