// Left panel, bottom: what the planner's map symbols mean.
import { h, panel } from '../../ui/dom';

export function createLegendPanel(): HTMLDetailsElement {
  return panel(
    '图例',
    'planner-legend',
    'planner-legend',
    h('ul', { class: 'legend-list' },
      h('li', {}, h('span', { class: 'swatch cells' }), '网格（每格一种颜色），标注：编号 / 户数 偏差 / 网格员；放大后显示更多，放不下的不标'),
      h('li', {}, h('span', { class: 'swatch bad' }), '红色虚线：户数超出范围或不连通'),
      h('li', {}, h('span', { class: 'swatch oversize' }), '紫色点线【超大】：单个小区户数已超过每格上限，单独成格'),
      h('li', {}, h('span', { class: 'swatch undersize' }), '青色点线【不足额】：小区户数低于下限且无法与相邻小区合并'),
      h('li', {}, h('span', { class: 'swatch crossing' }), '橙色点线：网格在此跨越主干道（被围住的小区无法单独成格）'),
      h('li', {}, h('span', { class: 'swatch compound' }), '小区（点击可移动）；橙色为选中'),
      h('li', {}, h('span', { class: 'swatch edge' }), '正在编辑的共用边界'),
      h('li', {}, h('span', { class: 'swatch area' }), '选中的规划范围'),
      h('li', {}, h('span', { class: 'swatch fit-ok' }), '移动小区：绿色 = 移入后两个网格都在户数范围内'),
      h('li', {}, h('span', { class: 'swatch fit-closer' }), '琥珀色 = 仍超出范围，但比移动前更接近'),
      h('li', {}, h('span', { class: 'swatch fit-out' }), '红色 = 移入后有网格超出户数范围'),
    ),
  );
}
