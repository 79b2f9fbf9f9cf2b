// Where am I: the GPS fix with its accuracy (warning past the crew's threshold), WGS84 and CGCS2000 coordinates,
// the dot and circle on the map; and the phone's compass heading, which turns the arrows to the pipes.
import Feature from 'ol/Feature';
import Point from 'ol/geom/Point';
import { circular } from 'ol/geom/Polygon';
import { fromLonLat } from 'ol/proj';
import { message } from '../api/messages';
import { geolocationMessage } from '../api/problem';
import { zh } from '../labels';
import { h } from '../ui/dom';
import type { CrewContext } from './context';
import { formatDms, gk, gkDistance } from './geo';
import { LIMIT_KEY } from './panels/sheet';
import type { Fix } from './state';

/** Rotates the arrows under `root` to the phone's heading (north-up when there is none). */
export function turnArrows(root: HTMLElement, heading: number | null) {
  for (const el of root.querySelectorAll<HTMLElement>('.crew-arrow[data-bearing]')) el.style.transform = `rotate(${Number(el.dataset.bearing) - (heading ?? 0)}deg)`;
}

/** Follows the position; `moved` is called with the first fix and whenever the crew has moved more than 3 m. */
export function watchPosition(ctx: CrewContext, moved: (fix: Fix) => void): void {
  const { map, state, sheet, position } = ctx;
  const { accuracyEl, warnEl, wgsEl, gkEl, limitInput, nearestList } = sheet;
  let lastNearestAt: Fix | null = null;
  let centred = false;

  const showFix = (f: Fix) => {
    const limit = sheet.limit();
    const poor = f.accuracy > limit;
    accuracyEl.textContent = `±${zh.num1(f.accuracy)} 米`;
    accuracyEl.dataset.accuracy = String(f.accuracy);
    warnEl.hidden = !poor;
    warnEl.textContent = poor ? `定位精度 ±${Math.round(f.accuracy)} 米，差于 ${limit} 米：距离和方向仅供参考，请到开阔处或核对现场标志。` : '';
    const [x, y] = gk(f.lon, f.lat);
    wgsEl.textContent = `WGS84：${f.lon.toFixed(6)}, ${f.lat.toFixed(6)}（${formatDms(f.lat, 'N', 'S')} ${formatDms(f.lon, 'E', 'W')}）`;
    gkEl.textContent = `CGCS2000 高斯-克吕格 3°带 114°E（EPSG:4547）：X ${y.toFixed(2)}  Y ${x.toFixed(2)}`;
    const me = new Feature({ geometry: new Point(fromLonLat([f.lon, f.lat])), role: 'me' });
    const circle = circular([f.lon, f.lat], Math.max(f.accuracy, 0.5), 64).transform('EPSG:4326', 'EPSG:3857');
    position.clear();
    position.addFeatures([new Feature({ geometry: circle, role: 'accuracy', poor }), me]);
  };

  limitInput.addEventListener('change', () => {
    localStorage.setItem(LIMIT_KEY, String(sheet.limit()));
    if (state.fix) showFix(state.fix);
  });

  const onFix = (p: GeolocationPosition) => {
    const fix: Fix = { lon: p.coords.longitude, lat: p.coords.latitude, accuracy: p.coords.accuracy };
    state.fix = fix;
    showFix(fix);
    if (!centred) {
      centred = true;
      map.getView().animate({ center: fromLonLat([fix.lon, fix.lat]), zoom: 18, duration: 0 });
    }
    if (!lastNearestAt || gkDistance(lastNearestAt.lon, lastNearestAt.lat, fix.lon, fix.lat) > 3) {
      lastNearestAt = fix;
      moved(fix);
    }
  };
  const onFixError = (e: GeolocationPositionError) => {
    // A lost fix (tunnel, stairwell) keeps the last position and list on screen; only say the fix is stale.
    if (state.fix && e.code !== e.PERMISSION_DENIED) {
      accuracyEl.textContent = `±${zh.num1(state.fix.accuracy)} 米（信号暂失）`;
      return;
    }
    accuracyEl.textContent = e.code === e.PERMISSION_DENIED ? '未授权定位' : '无法定位';
    nearestList.dataset.state = 'error';
    // The browser's own message is English ("User denied Geolocation"): the code says enough.
    nearestList.replaceChildren(h('li', { class: 'muted' }, geolocationMessage(e.code)));
  };
  if ('geolocation' in navigator) {
    const watch = navigator.geolocation.watchPosition(onFix, onFixError, { enableHighAccuracy: true, maximumAge: 5000, timeout: 30000 });
    ctx.onDispose(() => navigator.geolocation.clearWatch(watch));
  } else {
    accuracyEl.textContent = '此设备不支持定位';
    nearestList.dataset.state = 'error';
    nearestList.replaceChildren(h('li', { class: 'muted' }, message('geolocation-unsupported')));
  }

  let lastTurn = 0;
  const onOrientation = (e: DeviceOrientationEvent) => {
    const ios = (e as DeviceOrientationEvent & { webkitCompassHeading?: number }).webkitCompassHeading;
    const heading = typeof ios === 'number' ? ios : e.absolute && e.alpha !== null ? (360 - e.alpha) % 360 : null;
    if (heading === null) return;
    state.heading = heading;
    sheet.headingNote.textContent = `箭头按手机朝向（${Math.round(heading)}°）`;
    const now = performance.now();
    if (now - lastTurn > 150) {
      lastTurn = now;
      turnArrows(nearestList, heading);
    }
  };
  window.addEventListener('deviceorientationabsolute', onOrientation as EventListener);
  window.addEventListener('deviceorientation', onOrientation as EventListener);
  ctx.onDispose(() => {
    window.removeEventListener('deviceorientationabsolute', onOrientation as EventListener);
    window.removeEventListener('deviceorientation', onOrientation as EventListener);
    state.heading = null;
  });
}
