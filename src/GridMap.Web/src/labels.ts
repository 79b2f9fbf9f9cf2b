// zh-CN text for attribute values the palette does not carry (it holds only what the map draws).
import { labelOf, palette } from './palette';

const fee: Record<string, string> = { paid: '已缴清', partial: '部分缴纳', arrears: '欠费' };
const material: Record<string, string> = {
  steel: '钢管',
  pre_insulated: '预制直埋保温管',
  preinsulated: '预制直埋保温管',
  pe: 'PE 管',
  pex: 'PE-X 管',
  ppr: 'PP-R 管',
  ductile_iron: '球墨铸铁管',
  cast_iron: '铸铁管',
  copper: '铜管',
  galvanized: '镀锌钢管',
};
const valveState: Record<string, string> = { open: '开启', closed: '关闭' };
const staffRole: Record<string, string> = { grid_worker: '网格员', supervisor: '网格长', engineer: '工程师' };

const fmtInt = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 0 });
const fmt1 = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 1 });

export const zh = {
  status: (code: string | null | undefined) => labelOf(palette.retrofitStatus, code),
  heatingSystem: (code: string | null | undefined) => labelOf(palette.heatingSystem, code),
  pipeLevel: (code: string | null | undefined) => labelOf(palette.pipeLevel, code),
  pipeFlow: (code: string | null | undefined) => labelOf(palette.pipeFlow, code),
  pipeStatus: (code: string | null | undefined) => labelOf(palette.pipeStatus, code),
  fee: (code: string | null | undefined) => (code ? (fee[code] ?? code) : '—'),
  material: (code: string | null | undefined) => (code ? (material[code.toLowerCase()] ?? code) : '—'),
  valveState: (code: string | null | undefined) => (code ? (valveState[code] ?? code) : '—'),
  staffRole: (code: string | null | undefined) => (code ? (staffRole[code] ?? code) : '—'),
  yesNo: (v: unknown) => (v === true || v === 'true' ? '是' : v === false || v === 'false' ? '否' : '—'),
  int: (n: number | null | undefined) => (n == null || Number.isNaN(n) ? '—' : fmtInt.format(n)),
  num1: (n: number | null | undefined) => (n == null || Number.isNaN(n) ? '—' : fmt1.format(n)),
  percent: (rate: number | null | undefined) => (rate == null ? '—' : `${fmt1.format(rate * 100)}%`),
  text: (s: string | number | null | undefined) => (s == null || s === '' ? '—' : String(s)),
};
