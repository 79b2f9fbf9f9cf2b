// The partition job: start it from the setup form (checked first), poll its progress, cancel it, and when it ends
// load the preview it made or say why it failed.
import { chinesePart } from '../api/messages';
import { humanMessage } from '../api/problem';
import type { JobState } from '../api/types';
import type { PlannerActions } from './actions';
import type { PlannerContext } from './context';
import { planning } from './planningApi';

export interface JobRunner {
  run(): Promise<void>;
  cancel(): Promise<void>;
  dispose(): void;
}

export function createJobRunner(ctx: PlannerContext, actions: PlannerActions): JobRunner {
  const { state, setup } = ctx;
  const say = ctx.plan.say;
  let poll = 0;

  const finish = async (j: JobState) => {
    window.clearInterval(poll);
    state.job = null;
    setup.cancelBtn.hidden = true;
    setup.runBtn.disabled = false;
    if (j.status === 'succeeded' && j.planId !== null) {
      await actions.loadPlan(j.planId, true);
      if (state.plan?.search?.feasible === false)
        say(`划分完成（用时 ${j.elapsedSeconds.toFixed(1)} 秒）：未找到每格都在户数范围内的方案，已生成最接近的预览（未发布）。超出范围的网格见下方提示和列表中标红的偏差，可移动小区调整或放宽户数范围。`, 'warn');
      else say(`划分完成：用时 ${j.elapsedSeconds.toFixed(1)} 秒，已生成预览方案（未发布）`, 'ok');
    } else if (j.status === 'cancelled') {
      say('已取消划分，没有保存任何结果', 'info');
    } else {
      // The job's error is the refused rule's "中文 (English)" text: its Chinese part, the English stays in the log.
      if (j.error) console.warn(`GridMap partition job ${j.id} failed: ${j.error}`);
      say(`划分失败：${chinesePart(j.error) ?? '未知原因'}。可以尝试：放宽每格户数范围、改用网格数、关闭主干道边界，或在「高级」中换一个尝试序号。`, 'error');
    }
  };

  return {
    async run() {
      const form = setup.request(state.area);
      if ('error' in form) {
        say(form.error, 'error');
        return;
      }
      setup.runBtn.disabled = true;
      say('正在划分…', 'info');
      try {
        const job = await planning.start(form.body);
        state.job = job;
        setup.showJob(job);
        setup.cancelBtn.hidden = false;
        poll = window.setInterval(async () => {
          if (!state.job) return;
          try {
            const j = await planning.job(state.job.id);
            setup.showJob(j);
            if (j.status !== 'queued' && j.status !== 'running') await finish(j);
          } catch (e) {
            window.clearInterval(poll);
            say(`无法获取进度：${humanMessage(e)}`, 'error');
            setup.runBtn.disabled = false;
          }
        }, 400);
      } catch (e) {
        setup.runBtn.disabled = false;
        say(`无法开始划分：${humanMessage(e)}`, 'error');
      }
    },
    async cancel() {
      if (!state.job) return;
      try {
        setup.showJob(await planning.cancel(state.job.id));
      } catch (e) {
        say(humanMessage(e), 'error');
      }
    },
    dispose: () => window.clearInterval(poll),
  };
}
