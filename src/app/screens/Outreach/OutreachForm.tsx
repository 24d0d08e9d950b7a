// 登记普法活动 (outreach.recorded): what, when, where, for whom, how many 人次, and photos as
// 现场留痕. Photos are compressed on the phone, kept in the draft while typing, and saved with
// the record in one transaction; they stay on the phone after upload. Each photo carries the
// time it was taken and, when the worker tapped 记录位置, the place.
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { uuidv7 } from '#shared/uuid';
import { AUDIENCE_TYPES, CAMPAIGN_NODES, OUTREACH_FORMS, OUTREACH_THEMES } from '#shared/codes';
import { CheckboxGroup, FormError, NumberField, SaveConfirm, SaveProblems, SelectField, TextField } from '../../components/fields.tsx';
import { setFlash } from '../../components/flash.ts';
import { defaultOrgUnit, OrgUnitField } from '../../components/OrgUnitField.tsx';
import { Lightbox } from '../../components/Lightbox.tsx';
import { Thumb } from '../../components/Thumb.tsx';
import { useDraft } from '../../hooks/use-draft.ts';
import { useSaveForm } from '../../hooks/use-save-form.ts';
import type { GeoPoint } from '#shared/events';
import { nowIsoWithOffset } from '#shared/time';
import { compressPhoto, PHOTO_PROBLEM_TEXT } from '../../photos/compress.ts';
import { LocationControl } from '../../photos/LocationControl.tsx';
import { PhotoButtons } from '../../photos/PhotoButtons.tsx';
import type { BlobRecord } from '../../storage/index.ts';
import { nowTimeLocal, occurredAtOf, parseCount, parseNames, todayLocal } from '../../format.ts';

const OUTREACH_DRAFT_KEY = 'outreach:new';
const MAX_PHOTOS = 30;

interface OutreachValues {
  title: string;
  date: string;
  time: string;
  orgUnitId: string;
  place: string;
  themes: string[];
  campaign: string;
  form: string;
  audienceType: string;
  audience: string;
  materials: string;
  consultations: string;
  speakers: string;
  note: string;
  photos: BlobRecord[];
  /** sha256 → when the photo was taken (the file's time); absent in drafts of older versions. */
  photoTakenAt?: Record<string, string>;
  location?: GeoPoint;
}

const blank = (): OutreachValues => ({
  title: '',
  date: todayLocal(),
  time: nowTimeLocal(),
  orgUnitId: defaultOrgUnit(),
  place: '',
  themes: [],
  campaign: '',
  form: '',
  audienceType: '',
  audience: '',
  materials: '',
  consultations: '',
  speakers: '',
  note: '',
  photos: [],
});

function dataOf(v: OutreachValues): { data: Record<string, unknown>; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  if (!v.orgUnitId) errors.orgUnitId = '请选择村（社区）/网格';
  if (!v.date) errors.occurredAt = '请选择活动日期';
  if (!v.form) errors.form = '请选择宣传形式';
  const data: Record<string, unknown> = { title: v.title, form: v.form };
  const audience = parseCount(v.audience);
  if (audience === undefined) errors.audience = '请填写受众人次';
  else if (Number.isNaN(audience)) errors.audience = '受众人次应为整数';
  else data.audience = audience;
  for (const k of ['materials', 'consultations'] as const) {
    const n = parseCount(v[k]);
    if (Number.isNaN(n)) errors[k] = '应为整数';
    else if (n !== undefined) data[k] = n;
  }
  if (v.place.trim()) data.place = v.place.trim();
  if (v.themes.length > 0) data.themes = v.themes;
  if (v.campaign) data.campaign = v.campaign;
  if (v.audienceType) data.audienceType = v.audienceType;
  const speakers = parseNames(v.speakers);
  if (speakers) data.speakers = speakers;
  if (v.note.trim()) data.note = v.note.trim();
  if (v.location) data.location = v.location;
  if (v.photos.length > 0) {
    data.photos = v.photos.map((p) => {
      const photo: Record<string, unknown> = { sha256: p.sha256, mime: p.mime, size: p.size, width: p.width, height: p.height };
      const takenAt = v.photoTakenAt?.[p.sha256];
      if (takenAt) photo.takenAt = takenAt;
      // Taken at the site whose position the worker recorded for this activity.
      if (v.location) photo.location = v.location;
      return photo;
    });
  }
  return { data, errors };
}

export function OutreachForm() {
  const { route } = useLocation();
  const draft = useDraft<OutreachValues>(OUTREACH_DRAFT_KEY, 'outreach', blank);
  const save = useSaveForm(draft, {
    draftKey: OUTREACH_DRAFT_KEY,
    build: (values) => {
      const { data, errors: found } = dataOf(values);
      return {
        events: [{ type: 'outreach.recorded', subjectId: uuidv7(), orgUnitId: values.orgUnitId, occurredAt: occurredAtOf(values.date, values.time), data }],
        errors: found,
        blobs: values.photos,
      };
    },
    next: blank,
    onSaved: () => {
      setFlash('已保存');
      route('/outreach');
    },
  });
  const { errors, setErrors, busy, submit } = save;
  const [photoBusy, setPhotoBusy] = useState(false);
  const [viewing, setViewing] = useState<number | undefined>();
  const v = draft.values;

  const addPhotos = async (files: FileList | null) => {
    if (!files || files.length === 0) return;
    setPhotoBusy(true);
    const problems: string[] = [];
    const added: BlobRecord[] = [];
    const takenAt: Record<string, string> = { ...draft.values.photoTakenAt };
    for (const file of Array.from(files)) {
      const result = await compressPhoto(file);
      if (result.ok) {
        added.push(result.photo);
        // A camera photo's file time is the moment it was taken; a gallery file keeps its own.
        takenAt[result.photo.sha256] = nowIsoWithOffset(new Date(file instanceof File && file.lastModified > 0 ? file.lastModified : Date.now()));
      } else problems.push(`${file.name}：${PHOTO_PROBLEM_TEXT[result.code]}`);
    }
    const current = draft.values.photos;
    const merged = [...current, ...added.filter((p) => !current.some((c) => c.sha256 === p.sha256))];
    if (merged.length > MAX_PHOTOS) problems.push(`照片不超过 ${MAX_PHOTOS} 张`);
    draft.set({ photos: merged.slice(0, MAX_PHOTOS), photoTakenAt: takenAt });
    setErrors((e) => {
      const next = { ...e };
      if (problems.length > 0) next.photos = problems.join('；');
      else delete next.photos;
      return next;
    });
    setPhotoBusy(false);
  };

  if (!draft.ready) return <p class="muted">正在读取…</p>;
  return (
    <form
      class="form"
      noValidate
      ref={save.formRef}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <SaveProblems save={save} />
      {draft.restored && <p class="note">已恢复上次未保存的内容</p>}
      <TextField label="活动名称" value={v.title} onInput={(title) => draft.set({ title })} error={errors.title} required maxLength={200} />
      <div class="row">
        <TextField label="活动日期" type="date" value={v.date} onInput={(date) => draft.set({ date })} error={errors.occurredAt} required />
        <TextField label="开始时间" type="time" value={v.time} onInput={(time) => draft.set({ time })} />
      </div>
      <OrgUnitField label="村（社区）/网格" value={v.orgUnitId} onChange={(orgUnitId) => draft.set({ orgUnitId })} error={errors.orgUnitId} />
      <TextField label="具体地点" value={v.place} onInput={(place) => draft.set({ place })} error={errors.place} placeholder="如：村委会院坝" />
      <SelectField
        label="宣传形式"
        value={v.form}
        onChange={(form) => draft.set({ form })}
        options={OUTREACH_FORMS}
        placeholder="请选择"
        error={errors.form}
        required
      />
      <CheckboxGroup label="宣传主题" values={v.themes} onChange={(themes) => draft.set({ themes })} options={OUTREACH_THEMES} error={errors.themes} />
      <SelectField
        label="宣传节点"
        value={v.campaign}
        onChange={(campaign) => draft.set({ campaign })}
        options={CAMPAIGN_NODES}
        placeholder="无"
        error={errors.campaign}
      />
      <SelectField
        label="受众类型"
        value={v.audienceType}
        onChange={(audienceType) => draft.set({ audienceType })}
        options={AUDIENCE_TYPES}
        placeholder="未填"
        error={errors.audienceType}
      />
      <NumberField label="受众人次" value={v.audience} onInput={(audience) => draft.set({ audience })} error={errors.audience} required />
      <div class="row">
        <NumberField label="发放资料（份）" value={v.materials} onInput={(materials) => draft.set({ materials })} error={errors.materials} />
        <NumberField label="解答咨询（人次）" value={v.consultations} onInput={(consultations) => draft.set({ consultations })} error={errors.consultations} />
      </div>
      <TextField label="主讲人" value={v.speakers} onInput={(speakers) => draft.set({ speakers })} error={errors.speakers} hint="多人用逗号分开" />
      <LocationControl value={v.location} onChange={(location) => draft.set({ location })} />
      <div class={`field${errors.photos ? ' has-error' : ''}`} role="group" aria-label="现场照片">
        <span class="field-label">现场照片</span>
        <PhotoButtons disabled={photoBusy} onFiles={addPhotos} />
        {photoBusy && <p class="field-hint">正在压缩照片…</p>}
        {errors.photos && (
          <p class="field-error" role="alert">
            {errors.photos}
          </p>
        )}
        <ul class="thumbs" aria-label="已选照片">
          {v.photos.map((p, i) => (
            <li key={p.sha256}>
              <button type="button" class="thumb-open" aria-label={`查看照片 ${i + 1}`} onClick={() => setViewing(i)}>
                <Thumb blob={p.thumb ?? p.blob} alt={`照片 ${i + 1}`} />
              </button>
              <button type="button" class="secondary small" onClick={() => draft.set({ photos: v.photos.filter((x) => x.sha256 !== p.sha256) })}>
                删除照片 {i + 1}
              </button>
            </li>
          ))}
        </ul>
        {viewing !== undefined && (
          <Lightbox
            items={v.photos.map((p, i) => ({ blob: p.blob, alt: `照片 ${i + 1}` }))}
            index={viewing}
            onIndex={setViewing}
            onClose={() => setViewing(undefined)}
          />
        )}
      </div>
      <TextField label="活动小结" multiline value={v.note} onInput={(note) => draft.set({ note })} error={errors.note} />
      <FormError message={errors._} />
      <SaveConfirm save={save} />
      <button type="submit" class="primary" disabled={busy || photoBusy}>
        保存普法活动
      </button>
    </form>
  );
}
