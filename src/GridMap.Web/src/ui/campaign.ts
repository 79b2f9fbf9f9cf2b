// The compound's campaign (串改并, issue 10) in the details panel: stage, the two consents (owners' vote fractions and
// whether the rule is met; blocked units), the 五化 acceptance checklist, disputes, fee collection, follow-ups (overdue
// flagged) and the stage history — read from GET /api/compounds/{id}/campaign.
import { mapApi } from '../api/mapApi';
import { humanMessage, isAbort } from '../api/problem';
import type { CompoundCampaign } from '../api/types';
import { zh } from '../labels';
import { statusStyle } from '../palette';
import { h } from './dom';
import { beijingTime } from './history';

const disputeStatus: Record<string, string> = { open: '待处理', in_progress: '处理中', resolved: '已解决' };

/** A section that fills itself with the compound's campaign once it is read. */
export function campaignSection(id: number, signal?: AbortSignal): HTMLElement {
  const section = h('section', { class: 'campaign', 'data-testid': 'campaign-section', 'data-state': 'loading' },
    h('h3', {}, '改造进展（串改并）'), h('p', { class: 'hint' }, '正在读取…'));
  mapApi.campaign(id, signal).then((c) => {
    section.replaceChildren(h('h3', {}, '改造进展（串改并）'), ...campaignBody(c));
    section.dataset.state = 'loaded';
  }).catch((e: unknown) => {
    if (isAbort(e)) return;
    section.replaceChildren(h('h3', {}, '改造进展（串改并）'), h('p', { class: 'legend-error', role: 'alert' }, humanMessage(e)));
    section.dataset.state = 'error';
  });
  return section;
}

const stageLabel = (code: string): string => statusStyle(code).label;
const yesNo = (ok: boolean, yes: string, no: string): HTMLElement =>
  h('span', { class: ok ? 'ok' : 'dispute' }, ok ? `✔ ${yes}` : `✘ ${no}`);

function fields(rows: [string, Node | string][]): HTMLElement {
  const dl = h('dl', { class: 'fields' });
  for (const [label, value] of rows) dl.append(h('dt', {}, label), h('dd', {}, value));
  return dl;
}

export function campaignBody(c: CompoundCampaign): HTMLElement[] {
  const k = c.consent;
  const blocked = k.blockedUnits;
  const vote = fields([
    ['改造阶段', h('span', { 'data-testid': 'campaign-stage', 'data-stage': c.stage }, stageLabel(c.stage))],
    ['参与（面积）', h('span', { 'data-testid': 'consent-participation-area' }, zh.percent(k.participationByArea))],
    ['参与（户数）', h('span', { 'data-testid': 'consent-participation-count' }, zh.percent(k.participationByCount))],
    ['同意（面积）', h('span', { 'data-testid': 'consent-agreement-area' }, zh.percent(k.agreementByArea))],
    ['同意（户数）', h('span', { 'data-testid': 'consent-agreement-count' }, zh.percent(k.agreementByCount))],
    ['业主表决', h('span', { 'data-testid': 'consent-vote-rule', 'data-met': String(k.voteRuleMet) },
      yesNo(k.voteRuleMet, '已达到表决规则', '未达到表决规则'))],
    ['表决规则', c.voteRule],
    ['入户同意', `${zh.int(k.unitsReady)} / ${zh.int(k.units)} 个单元可施工`],
  ]);
  const blockedList = blocked.length === 0
    ? h('p', { class: 'hint' }, '没有受阻的单元。')
    : h('ul', { class: 'campaign-list', 'data-testid': 'blocked-units' },
      ...blocked.slice(0, 20).map((b) => h('li', {}, `${b.building} ${b.unit}：${b.households.length} 户未同意且无跨越管`)),
      ...(blocked.length > 20 ? [h('li', { class: 'hint' }, `…另有 ${blocked.length - 20} 个单元`)] : []));

  const checklist = h('ul', { class: 'campaign-list', 'data-testid': 'checklist' },
    ...c.checklist.map((i) => h('li', {}, yesNo(!!i.evidence, i.label, i.label),
      i.evidence ? h('span', { class: 'hint' }, ` ${i.evidence}${i.signedOffBy ? `（${i.signedOffBy}）` : ''}`) : h('span', { class: 'hint' }, ' 未签认'))));
  const acceptance = c.acceptancePassed == null ? '未验收' : c.acceptancePassed ? '并网验收通过' : '并网验收未通过';

  const disputes = c.disputes.length === 0
    ? h('p', { class: 'hint' }, '无纠纷记录。')
    : h('ul', { class: 'campaign-list', 'data-testid': 'disputes' },
      ...c.disputes.map((d) => h('li', {}, h('span', { class: d.status === 'resolved' ? 'ok' : 'dispute' }, disputeStatus[d.status] ?? d.status),
        ` ${d.summary}（负责人 ${d.owner}，${beijingTime(d.openedAt)}）${d.resolution ? `；处理结果：${d.resolution}` : ''}`)));

  const f = c.followUp;
  const followUp = fields([
    ['竣工日期', f.completedOn ?? '—'],
    ['上次回访', f.lastFollowUp ?? '—'],
    ['下次回访', f.due ? h('span', { 'data-testid': 'follow-up-due', class: f.overdue ? 'dispute' : '' }, `${f.due}${f.overdue ? '（已逾期）' : ''}`) : '—'],
    ['回访次数', zh.int(c.followUps.length)],
    ['热费代收', `${zh.fee(c.feeStatus)}${c.feeCollector ? `（${c.feeCollector}）` : ''}`],
  ]);

  const history = c.history.length === 0
    ? h('p', { class: 'hint' }, '暂无阶段记录。')
    : h('ol', { class: 'campaign-list', 'data-testid': 'stage-history' },
      ...c.history.map((e) => h('li', {}, `${beijingTime(e.at)} → ${stageLabel(e.stage)}（${e.actor}）`)));

  return [
    vote,
    h('h4', {}, `受阻单元（${blocked.length}）`), blockedList,
    h('h4', {}, '“五化”验收清单'), checklist, h('p', {}, acceptance),
    h('h4', {}, '纠纷'), disputes,
    h('h4', {}, '回访与缴费'), followUp,
    h('h4', {}, '阶段历史'), history,
  ];
}
