// Where am I: the GPS fix with its accuracy (warning past the crew's threshold), WGS84 and CGCS2000 coordinates,
// the dot and circle on the map; and the phone's compass heading, which turns the arrows to the pipes.
import Feature from 'ol/Feature';
import Point from 'ol/geom/Point';
import { circular } from 'ol/geom/Polygon';
import { fromLonLat, toLonLat } from 'ol/proj';
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

/** What the crew can do without GPS (shown with the reason it failed). */
const BY_HAND = '可在下方搜索小区、地址、换热站或阀门编号，或在地图上长按您所在的位置来手动定位。';

/** The position controls: `setManual` places the crew by hand (search result, long press). */
export interface PositionControl {
  setManual(lon: number, lat: number, label: string): void;
  /** True (once) when the map click that follows a long press should not also pick a pipe. */
  consumeLongPressClick(): boolean;
}

/** Follows the position; `moved` is called with the first fix and whenever the crew has moved more than 3 m. */
export function watchPosition(ctx: CrewContext, moved: (fix: Fix) => void): PositionControl {
  const { map, state, sheet, position } = ctx;
  const { accuracyEl, warnEl, wgsEl, gkEl, limitInput, nearestList, locateMsg } = sheet;
  // Set by hand: GPS fixes no longer move the position until GPS works again after a failure.
  let manual = false;
  let lastNearestAt: Fix | null = null;
  let centred = false;

  const showFix = (f: Fix) => {
    const limit = sheet.limit();
    const poor = f.accuracy > limit;
    accuracyEl.textContent = f.manual ? '手动定位' : `±${zh.num1(f.accuracy)} 米`;
    accuracyEl.dataset.accuracy = String(f.accuracy);
    warnEl.hidden = !poor || Boolean(f.manual);
    warnEl.textContent = poor && !f.manual ? `定位精度 ±${Math.round(f.accuracy)} 米，差于 ${limit} 米：距离和方向仅供参考，请到开阔处或核对现场标志。` : '';
    const [x, y] = gk(f.lon, f.lat);
    // Each number in its own unbreakable span: a narrow screen wraps between numbers, never inside one.
    const n = (text: string) => h('span', { class: 'crew-num' }, text);
    wgsEl.replaceChildren('WGS84：', n(`${f.lon.toFixed(6)},`), ' ', n(f.lat.toFixed(6)), ' ', n(`（${formatDms(f.lat, 'N', 'S')}`), ' ', n(`${formatDms(f.lon, 'E', 'W')}）`));
    gkEl.replaceChildren('CGCS2000 高斯-克吕格 3°带 114°E（EPSG:4547）：', n(`X ${y.toFixed(2)}`), '  ', n(`Y ${x.toFixed(2)}`));
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
    if (manual) return;
    const fix: Fix = { lon: p.coords.longitude, lat: p.coords.latitude, accuracy: p.coords.accuracy };
    locateMsg.hidden = true;
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
    if (manual) return;
    accuracyEl.textContent = e.code === e.PERMISSION_DENIED ? '未授权定位' : '无法定位';
    nearestList.dataset.state = 'error';
    // The browser's own message is English ("User denied Geolocation"): the code says enough, in Chinese, with what to do.
    showLocateProblem(geolocationMessage(e.code));
    nearestList.replaceChildren(h('li', { class: 'muted' }, '尚未定位：请先手动定位（搜索或长按地图）。'));
  };
  const showLocateProblem = (why: string) => {
    locateMsg.hidden = false;
    locateMsg.dataset.state = 'error';
    locateMsg.textContent = `定位失败：${why}${BY_HAND}`;
  };
  if ('geolocation' in navigator) {
    const watch = navigator.geolocation.watchPosition(onFix, onFixError, { enableHighAccuracy: true, maximumAge: 5000, timeout: 30000 });
    ctx.onDispose(() => navigator.geolocation.clearWatch(watch));
  } else {
    accuracyEl.textContent = '此设备不支持定位';
    nearestList.dataset.state = 'error';
    showLocateProblem(message('geolocation-unsupported'));
    nearestList.replaceChildren(h('li', { class: 'muted' }, '尚未定位：请先手动定位（搜索或长按地图）。'));
  }

  // Long press on the map (touch or mouse held ~0.6 s without moving) places the crew there.
  let press: { timer: ReturnType<typeof setTimeout>; x: number; y: number } | null = null;
  let longPressAt = -Infinity;
  const viewport = map.getViewport()!;
  const cancelPress = () => {
    if (press) clearTimeout(press.timer);
    press = null;
  };
  viewport.addEventListener('pointerdown', (e: PointerEvent) => {
    if (!e.isPrimary) return cancelPress();
    cancelPress();
    const at = map.getEventCoordinate(e);
    press = {
      x: e.clientX,
      y: e.clientY,
      timer: setTimeout(() => {
        press = null;
        longPressAt = performance.now();
        const [lon, lat] = toLonLat(at);
        control.setManual(lon, lat, '长按地图');
      }, 600),
    };
  });
  viewport.addEventListener('pointermove', (e: PointerEvent) => {
    if (press && Math.hypot(e.clientX - press.x, e.clientY - press.y) > 10) cancelPress();
  });
  for (const ev of ['pointerup', 'pointercancel', 'pointerleave']) viewport.addEventListener(ev, cancelPress);
  viewport.addEventListener('contextmenu', (e) => e.preventDefault());

  const control: PositionControl = {
    consumeLongPressClick() {
      const recent = performance.now() - longPressAt < 1500;
      longPressAt = -Infinity;
      return recent;
    },
    setManual(lon, lat, label) {
      manual = true;
      const fix: Fix = { lon, lat, accuracy: 5, manual: true };
      state.fix = fix;
      showFix(fix);
      locateMsg.hidden = false;
      locateMsg.dataset.state = 'manual';
      locateMsg.textContent = `已手动定位（${label}）。距离按此位置计算；到现场后可再次长按地图修正。`;
      map.getView().animate({ center: fromLonLat([lon, lat]), zoom: Math.max(map.getView().getZoom() ?? 17, 17), duration: 0 });
      centred = true;
      lastNearestAt = fix;
      moved(fix);
    },
  };

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
    cancelPress();
  });
  return control;
}
