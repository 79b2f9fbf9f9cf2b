// 总览地图: the whole demo city — basemap, compounds by retrofit status, the heating network —
// with city-wide campaign counts in the legend. The manager view builds on the same page.
import { createMapPage } from '../map/mapPage';
import type { View } from './view';

export const overview: View = {
  title: '总览地图',
  async mount(root) {
    const page = await createMapPage(root, 'overview');
    void page.loadStats();
    return () => page.dispose();
  },
};
