// 关于本机: this build's version (what phone support asks first), whether the browser promised to keep this phone's data, how to make it so
// (添加到主屏幕), this device's id, rows that could not be read, and the export of unsent records.
import { useEffect, useState } from 'preact/hooks';
import { downloadOutbox } from '../../sync/index.ts';
import { getDeviceId, persistence, requestPersistence, storageProblems } from '../../storage/index.ts';
import { PROTOCOL_VERSION } from '#shared/api/version';
import { APP_VERSION } from '../../version.ts';

const PERSISTENCE_TEXT = {
  unknown: '正在检查…',
  persisted: '已开启：浏览器不会自动清除本机记录。',
  not_persisted: '未开启：手机空间不足时浏览器可能清除本机记录。',
  unsupported: '此浏览器不支持持久存储。',
} as const;

export function About() {
  const [deviceId, setDeviceId] = useState('');
  useEffect(() => {
    void getDeviceId().then(setDeviceId);
  }, []);
  const state = persistence.value;
  return (
    <section>
      <h2>版本</h2>
      <p>
        应用版本：<code>{APP_VERSION}</code>（接口 {PROTOCOL_VERSION}）
      </p>
      <h2>持久存储</h2>
      <p role="status">{PERSISTENCE_TEXT[state]}</p>
      {state !== 'persisted' && (
        <>
          <p class="note">提示：在浏览器菜单中选择“添加到主屏幕”（或“安装应用”）后，手机会更可靠地保存本机记录。</p>
          <button type="button" class="secondary" onClick={() => void requestPersistence()}>
            再次申请持久存储
          </button>
        </>
      )}
      <h2>未上传记录</h2>
      <p>无法同步时（如手机损坏、账号停用），可把未上传的记录连同照片导出为文件交给镇里。</p>
      <button type="button" class="secondary" onClick={() => void downloadOutbox()}>
        导出未上传记录
      </button>
      <h2>本机</h2>
      <p>
        设备编号：<code>{deviceId}</code>
      </p>
      {storageProblems.value.length > 0 && (
        <>
          <h2>无法读取的记录</h2>
          <ul>
            {storageProblems.value.map((p) => (
              <li key={p.id}>
                {p.id}：{p.message}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
