// zh labels of the staff view: answers, visit outcomes, stages.
import type { Answer, ConsentState } from './staffApi';

export const ANSWERS: { code: Answer; label: string; outcome: string }[] = [
  { code: 'agree', label: '同意', outcome: '见面' },
  { code: 'disagree', label: '不同意', outcome: '见面' },
  { code: 'undecided', label: '未决定', outcome: '见面' },
  { code: 'absent', label: '不在家', outcome: '不在家' },
];

export const CONSENT_LABEL: Record<ConsentState, string> = { agree: '同意', disagree: '不同意', undecided: '未决定', absent: '不在家', none: '未走访' };

/** Visit outcomes offered in the form (free text is accepted by the server; these are the usual ones). */
export const OUTCOMES = ['见面', '不在家', '拒绝', '电话联系', '留言', '其他'];

export const STAGE_LABEL: Record<string, string> = {
  not_started: '未启动',
  publicity: '宣传',
  visiting: '入户走访',
  signed: '已签约',
  construction: '施工',
  acceptance: '验收',
  completed: '已完成',
};

export const stageLabel = (s: string | undefined): string => (s ? (STAGE_LABEL[s] ?? s) : '—');
export const pct = (f: number | undefined): string => (typeof f === 'number' ? `${(f * 100).toFixed(1)}%` : '—');
