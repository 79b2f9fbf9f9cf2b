// The one table of what people read when something is refused or goes wrong (zh-CN). Keys are the stable codes
// the server puts in every ProblemDetails (`rule`: RuleCodes in src/GridMap.Domain/Rules/RuleViolation.cs,
// ErrorCodes in src/GridMap.Api/Errors/ProblemExceptionHandler.cs) and the client's own codes for failures that
// never reach the server (network, timeouts, chunk loading, geolocation) and for form checks.
// A server detail is "中文 (English)": its Chinese part is shown when it has one (it names the cell, the compound…);
// otherwise the text below. English stays in logs (console), never on screen.

export const messages = {
  // ── business rules (RuleCodes): planning, editing a plan by hand
  'already-in-cell': '该小区已在目标网格中。',
  'cell-locked': '网格已锁定，不能修改。',
  'target-locked': '目标网格已锁定，不能移入。',
  'other-community': '按社区嵌套时，小区只能移入本社区的网格。',
  'not-adjacent': '小区与目标网格不相邻（或被主干道隔开），只能移入相邻网格。',
  'last-compound': '这是网格中最后一个小区，移走后网格将为空。',
  'would-split-cell': '这样修改会使网格不再连成一片。',
  'plan-not-editable': '只能修改预览方案；已发布的方案请重新划分。',
  'edge-self-intersects': '新边界自相交。',
  'not-neighbours': '这两个网格没有共用边界。',
  'edge-ends-mismatch': '新边界的两端必须与原共用边界的两端重合。',
  'edge-outside-cells': '新边界超出了两个网格的范围。',
  'edge-splits-compound': '新边界穿过了小区，小区必须整体归属一个网格。',
  'cell-would-be-empty': '修改后网格将没有小区。',
  // planning: partitioning, staff, publishing
  'area-empty': '范围内没有小区，无法划分网格。',
  'window-infeasible': '没有满足约束的方案。请放宽每格户数范围、改用网格数、关闭主干道边界，或在「高级」中换一个尝试序号。',
  'staff-other-branch': '该网格员属于其他分公司，不能负责此网格。',
  'not-grid-worker': '只有网格员可以负责网格。',
  'staff-busy': '该网格员已负责其他网格，请先取消。',
  'not-preview': '只能发布预览方案。',
  'not-contiguous': '有网格不连通，不能发布。',
  'codes-exhausted': '社区的网格编号已用完（最多 999 个）。',
  'not-a-version': '只有已发布的版本可以恢复；预览方案可直接编辑。',
  // concurrency: someone else changed the plan since it was read (If-Match → 412)
  'precondition-failed': '此方案已被他人修改，您看到的不是最新版本。请重新加载后再操作。',
  // network
  'not-isolatable': '无法隔离该管段（没有可关闭的阀门），需在上游停运。',
  // campaign: stages moved by rules
  'stage-order': '阶段只能依次推进一步。',
  'vote-rule-not-met': '业主表决未达到规定比例（参与面积和人数均≥2/3，同意者均≥参与者的3/4）。',
  'no-unit-ready': '没有可施工的单元：单元内住户须全部同意或已约定跨越管。',
  'checklist-incomplete': '“五化”验收清单尚未全部签认并附证据。',
  'acceptance-not-passed': '并网验收尚未通过。',
  'dispute-order': '纠纷状态只能按 待处理 → 处理中 → 已解决 推进。',

  // ── sign-in and access (AccessDenied, SignInRefused)
  'not-your-cell': '只能在分配给您的网格内记录。',
  unauthenticated: '未登录或登录已过期，请重新登录。',
  'invalid-credentials': '用户名或密码错误，或账号已停用/锁定。',
  'account-locked': '账号已锁定（连续登录失败次数过多），请稍后再试或联系管理员。',
  'account-disabled': '账号已停用，请联系管理员。',
  'too-many-attempts': '登录失败次数过多，请稍后再试。',
  forbidden: '当前角色没有此权限。',
  'other-branch': '该对象属于其他分公司，只能操作本分公司的对象。',
  'form-login': '请输入用户名和密码。',

  // ── other server errors (ErrorCodes)
  'bad-request': '请求无效，请刷新页面后重试。',
  'not-found': '未找到所请求的数据（可能已被删除或已过期）。',
  'invalid-parameter': '参数无效，请检查输入。',
  'invalid-file': '文件无效，请检查文件格式。',
  'invalid-data': '数据无效，未保存。',
  conflict: '数据冲突：已被他人修改或已存在，请刷新后重试。',
  cancelled: '请求已取消。',
  'server-error': '服务器内部错误，已记录日志。请稍后重试。',
  'database-unavailable': '数据库暂时不可用，请稍后重试。',
  // an HTTP error without a code (a proxy, an old server)
  'http-error': '服务器返回错误，请稍后重试。',

  // ── failures on the client's side of the wire
  network: '无法连接服务器。请检查网络，或确认 GridMap 服务正在运行。',
  offline: '当前没有网络连接。',
  timeout: '服务器响应超时，请稍后重试。',
  'bad-response': '服务器返回的数据无法识别，请刷新页面后重试。',
  'chunk-load': '应用已更新或网络中断，页面组件加载失败。请刷新页面。',
  'geolocation-denied': '未获准使用位置信息。请在浏览器设置中允许本网站定位。',
  'geolocation-unavailable': '暂时无法获得位置（信号弱或定位服务未开启），请到开阔处重试。',
  'geolocation-timeout': '定位超时，请到开阔处重试。',
  'geolocation-unsupported': '此设备或浏览器不支持定位。',
  'storage-failed': '无法保存离线数据（存储空间不足或浏览器禁止存储）。',
  unexpected: '发生意外错误，请刷新页面后重试。',

  // ── form checks before a request is sent (planner)
  'form-no-area': '请先在地图上选择规划范围。',
  'form-min-households': '每格最少户数须为不小于 0 的数字。',
  'form-max-households': '每格最多户数（{max}）必须大于最少户数（{min}）。',
  'form-cells': '网格数须为 1 到 999 之间的整数。',
  'form-tolerance': '允许偏差须在 1% 到 50% 之间。',
  'form-seed': '尝试序号须为整数。',
  'form-time-limit': '时间上限须在 1 到 120 秒之间。',
} as const satisfies Record<string, string>;

export type MessageCode = keyof typeof messages;

/**
 * What a refused request was doing, by operationId, for 「无权限…」 (403). Operations not listed read as 执行此操作.
 */
export const actions: Record<string, string> = {
  ClientConfig: '查看地图配置',
  Layers: '查看图层',
  LayerFeatures: '查看图层数据',
  RetrofitStats: '查看改造进度',
  Compound: '查看小区详情',
  Pipe: '查看管段详情',
  AreaAt: '选择规划范围',
  StartPartition: '划分网格',
  PartitionJob: '查看划分进度',
  CancelPartitionJob: '取消划分',
  Plan: '查看网格方案',
  CurrentPlan: '查看现行方案',
  PlanCells: '查看网格',
  PlanCompounds: '查看方案小区',
  SharedEdges: '查看网格边界',
  MoveCompound: '移动小区',
  RedrawEdge: '修改网格边界',
  LockCell: '锁定网格',
  AutoAssignStaff: '分配网格员',
  AssignStaff: '指定网格员',
  UnassignStaff: '取消网格员',
  StaffTravel: '查看网格员路程',
  PlanStaff: '查看网格员',
  PublishPlan: '发布方案',
  PlanVersions: '查看历史版本',
  PlanVersion: '查看历史版本',
  RestorePlanVersion: '恢复历史版本',
  History: '查看变更记录',
  Isolate: '生成关阀方案',
  NearestPipes: '查找附近管段',
  NetworkStatus: '查看管网状态',
  NetworkTopology: '下载管网',
};

/** 「无权限发布方案：规划员（planner）没有“planning.publish”权限」: the action, then why (the server's Chinese, else the table). */
export function forbiddenMessage(code: string, detail: string | null | undefined, action: string | undefined): string {
  return `无权限${action ?? '执行此操作'}：${messageFor(code, detail).replace(/[。.]$/, '')}`;
}

/** The table's text for a code, with {name} placeholders filled; unknown codes read as `unexpected`. */
export function message(code: string, values: Record<string, string | number> = {}): string {
  const text: string = (messages as Record<string, string>)[code] ?? messages.unexpected;
  return text.replace(/\{(\w+)\}/g, (m, k: string) => (k in values ? String(values[k]) : m));
}

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;

/**
 * The Chinese part of a server text written "中文 (English)": English in brackets, trailing English sentences and
 * English words glued after a Chinese term ("户数均衡 balance") are dropped. Null when the text has no Chinese.
 */
export function chinesePart(text: string | null | undefined): string | null {
  if (!text || !CJK.test(text)) return null;
  let t = text
    // (English …) / （English …）: brackets holding Latin words and no Chinese ("（#783）" stays)
    .replace(/\s*[(（][^()（）\u3400-\u9fff]*[A-Za-z][^()（）\u3400-\u9fff]*[)）]/g, '')
    // "中文 english words" right before a closing bracket or the end: "（户数均衡 balance）", "无法执行 Cannot do that"
    .replace(/([\u3400-\u9fff])\s+[A-Za-z][A-Za-z \-']*(?=[)）]|$)/g, '$1');
  // Sentences or clauses with no Chinese in them ("…：balance: no plan found…", "; nothing saved.")
  const parts = t.split(/(?<=[：:；;。])/);
  t = parts.filter((p) => CJK.test(p)).join('');
  t = t.replace(/[\s：:；;,，.]+$/, '').trim();
  return t === '' ? null : t;
}

/** What to show for a coded error: the Chinese part of the server's detail, else the table's text for the code. */
export function messageFor(code: string, detail?: string | null): string {
  return chinesePart(detail) ?? message(code);
}
