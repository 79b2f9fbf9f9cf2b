// zh labels of the staff view: answers, visit outcomes, stages.
import type { Answer, ConsentState } from './staffApi';

export const ANSWERS: { code: Answer; label: string; outcome: Outcome }[] = [
  { code: 'agree', label: '同意', outcome: 'met' },
  { code: 'disagree', label: '不同意', outcome: 'met' },
  { code: 'undecided', label: '未决定', outcome: 'met' },
  { code: 'absent', label: '不在家', outcome: 'not_home' },
];

export const CONSENT_LABEL: Record<ConsentState, string> = { agree: '同意', disagree: '不同意', undecided: '未决定', absent: '不在家', none: '未走访' };

/** Visit outcomes (the server's codes) with their zh labels; `publicity` is a compound-wide visit (no household). */
export type Outcome = 'met' | 'not_home' | 'refused' | 'publicity' | 'other';
export const OUTCOME_LABEL: Record<Outcome, string> = { met: '见面', not_home: '不在家', refused: '拒绝', publicity: '宣传活动', other: '其他' };
export const HOUSEHOLD_OUTCOMES: Outcome[] = ['met', 'not_home', 'refused', 'other'];

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
