// Signatures on the 协议书 when no printer is at hand: each party and mediator signs on the
// phone's screen; the PNG is saved with a case.signed event in one transaction (like a photo
// with its outreach record), uploaded by the sender before the event, and printed in place.
import { useEffect, useState } from 'preact/hooks';
import type { Signature } from '#shared/events';
import { caseUnitOf, type CaseState } from '#shared/fold/index';
import { nowIsoWithOffset } from '#shared/time';
import { SignaturePad } from '../../components/SignaturePad.tsx';
import { useStorageQuery } from '../../hooks/use-storage-query.ts';
import { requestBlob } from '../../net/http.ts';
import { session } from '../../session/index.ts';
import { sha256Hex } from '../../photos/compress.ts';
import { getBlob, recordEvents, type BlobRecord } from '../../storage/index.ts';
import { signatureOf } from './print-data.ts';

/**
 * The image of a signature: from this device, else from the server (a desk PC printing a case
 * signed on a phone); undefined while neither has it.
 */
async function signatureBlob(sha: string): Promise<Blob | undefined> {
  const held = await getBlob(sha);
  if (held) return held.blob;
  const token = session.value?.token;
  if (!token || !navigator.onLine) return undefined;
  const answer = await requestBlob(`/api/attachments/${sha}`, { method: 'GET' }, { fetch: (input, init) => fetch(input, init), token, timeoutMs: 30_000 });
  return answer.ok ? answer.body : undefined;
}

/** A signature printed on its line: the stored image, or a blank to sign on paper. */
export function SignatureImage(props: { signature: Signature | undefined; alt: string; blank?: boolean }) {
  const sha = props.signature?.image.sha256;
  const { data } = useStorageQuery(() => (sha ? signatureBlob(sha) : Promise.resolve(undefined)), [sha]);
  if (!props.signature) return props.blank === false ? null : <span class="sign-blank" />;
  if (!data) return <span class="sign-blank">（已在手机上签名）</span>;
  return <SignatureBlobImage blob={data} alt={props.alt} />;
}

function SignatureBlobImage(props: { blob: Blob; alt: string }) {
  const [url, setUrl] = useState<string | undefined>();
  useEffect(() => {
    const u = URL.createObjectURL(props.blob);
    setUrl(u);
    return () => URL.revokeObjectURL(u);
  }, [props.blob]);
  return url ? <img class="sign-image" src={url} alt={props.alt} width={150} height={50} /> : <span class="sign-blank" />;
}

interface Signer {
  role: Signature['role'];
  name: string;
  label: string;
}

export function SignSection(props: { state: CaseState; mediators: readonly string[] }) {
  const { state } = props;
  const [signing, setSigning] = useState<Signer | undefined>();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | undefined>();
  const signers: Signer[] = [
    ...(state.opened?.parties ?? []).map((p) => ({ role: 'party' as const, name: p.name, label: `当事人 ${p.name}` })),
    ...props.mediators.map((m) => ({ role: 'mediator' as const, name: m, label: `调解员 ${m}` })),
  ];

  const save = async (signer: Signer, png: Blob, size: { width: number; height: number }) => {
    setBusy(true);
    const blob: BlobRecord = { sha256: await sha256Hex(png), blob: png, mime: 'image/png', size: png.size, ...size, uploaded: false, createdAt: Date.now() };
    const image = { sha256: blob.sha256, mime: 'image/png' as const, size: blob.size, width: size.width, height: size.height };
    try {
      await recordEvents(
        [
          {
            type: 'case.signed',
            subjectId: state.subjectId,
            orgUnitId: caseUnitOf(state),
            occurredAt: nowIsoWithOffset(),
            data: { signatures: [{ role: signer.role, name: signer.name, image }] },
          },
        ],
        { blobs: [blob] },
      );
      // Said only once the transaction has committed.
      setMessage({ ok: true, text: `${signer.label}的签名已保存` });
      setSigning(undefined);
    } catch (e) {
      setMessage({ ok: false, text: `签名没有保存：${e instanceof Error ? e.message : '本机存储出错'}` });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="no-print sign-section" aria-labelledby="sign-title">
      <h2 id="sign-title">在手机上签名</h2>
      <p class="muted">没有打印机时，请当事人和调解员在屏幕上签名；签名随案件保存并上传，打印时印在签名处。</p>
      {message && (
        <p role="status" class={message.ok ? 'note' : 'form-error'}>
          {message.text}
        </p>
      )}
      {signing ? (
        <SignaturePad label={signing.label} busy={busy} onCancel={() => setSigning(undefined)} onSave={(png, size) => void save(signing, png, size)} />
      ) : (
        <ul>
          {signers.map((s) => {
            const signed = signatureOf(state, s.role, s.name) !== undefined;
            return (
              <li key={`${s.role}:${s.name}`}>
                <span>
                  {s.label}
                  {signed && <span class="tag">已签名</span>}
                </span>
                <button type="button" class="secondary" onClick={() => setSigning(s)}>
                  {signed ? `${s.name} 重新签名` : `${s.name} 签名`}
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
