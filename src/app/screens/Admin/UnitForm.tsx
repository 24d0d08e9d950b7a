// Adding an org unit under a parent, or renaming / moving one. The short name gets its own
// explanation with a live sample, because it is what prints in every case number. What the
// server refuses (a sibling's name, a code in use, a parent the unit cannot have) is said at
// that field, with the cursor there and the refused text selected.
import { useSignal } from '@preact/signals';
import { useRef } from 'preact/hooks';
import { ORG_UNIT_KIND_LABELS } from '#shared/codes';
import type { OrgUnit, OrgUnitKind } from './api.ts';
import { useAdmin } from './admin-data.ts';
import { useFocusOnRefusal } from '../../hooks/use-focus-on-refusal.ts';
import { ErrorNote, SelectField, TextField } from './Fields.tsx';
import { parentChoices, sampleCaseNumber, unitPath } from './org-rules.ts';

const NAME_EXAMPLES: Record<OrgUnitKind, string> = {
  county: '如：云阳县',
  town: '如：江口镇',
  village: '如：向阳村',
  community: '如：江口社区',
  grid: '如：向阳村第一网格',
  committee: '如：江口镇人民调解委员会',
  station: '如：驻江口法庭调解室',
};

/** Kinds whose short name can number cases (a committee's, else its village's or town's). */
const NUMBERING_KINDS = new Set<OrgUnitKind>(['town', 'village', 'community', 'committee', 'station']);
const TOP = '__top__';

/** The form's fields a refusal can be about; `form` for one about none of them. */
type UnitProblems = Partial<Record<'name' | 'shortName' | 'code' | 'parentId' | 'form', string>>;

export type UnitFormProps =
  | {
      mode: 'create';
      parent: OrgUnit | null;
      kinds: readonly OrgUnitKind[];
      /** Suggested values (the walk-through proposes the committee's name from the town's). */
      initial?: { name?: string; shortName?: string };
      onSaved: (unit: OrgUnit) => void;
      onCancel?: () => void;
    }
  | { mode: 'edit'; unit: OrgUnit; onSaved: (unit: OrgUnit) => void; onCancel?: () => void };

export function UnitForm(props: UnitFormProps) {
  const admin = useAdmin();
  const units = admin.units.value ?? [];
  const editing = props.mode === 'edit' ? props.unit : undefined;
  const kind = useSignal<OrgUnitKind>(editing?.kind ?? (props.mode === 'create' ? props.kinds[0]! : 'town'));
  const initial = props.mode === 'create' ? props.initial : undefined;
  const name = useSignal(editing?.name ?? initial?.name ?? '');
  const shortName = useSignal(editing?.shortName ?? initial?.shortName ?? '');
  const code = useSignal(editing?.code ?? '');
  const parentId = useSignal(editing ? (editing.parentId ?? TOP) : '');
  const problems = useSignal<UnitProblems>({});
  const busy = useSignal(false);
  const form = useRef<HTMLFormElement>(null);
  const refused = useFocusOnRefusal(form);
  const refuse = (p: UnitProblems) => {
    problems.value = p;
    refused();
  };

  const year = new Date().getFullYear();
  const title =
    props.mode === 'create' ? `在“${props.parent ? props.parent.name : '顶层'}”下添加` : `修改${ORG_UNIT_KIND_LABELS[kind.value]}“${props.unit.name}”`;
  const moveOptions = editing && [
    ...(editing.kind === 'town' || editing.kind === 'county' ? [{ value: TOP, label: '（顶层，不属于任何单位）' }] : []),
    ...parentChoices(units, editing.kind, editing.id).map((u) => ({ value: u.id, label: unitPath(units, u.id) })),
  ];
  const movable = !!moveOptions && moveOptions.length > 0;
  /** The fields this form shows, where a refusal naming one of them is said. */
  const shown = (field: string | undefined): field is keyof UnitProblems =>
    field === 'name' || field === 'code' || (field === 'shortName' && NUMBERING_KINDS.has(kind.value)) || (field === 'parentId' && movable);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy.value) return;
    if (!name.value.trim()) return refuse({ name: '请填写名称' });
    busy.value = true;
    problems.value = {};
    const fields = { name: name.value.trim(), shortName: shortName.value.trim() || null, code: code.value.trim() || null };
    const result =
      props.mode === 'create'
        ? await admin.api.createOrgUnit({ ...fields, kind: kind.value, parentId: props.parent?.id ?? null })
        : await admin.api.updateOrgUnit(props.unit.id, {
            ...fields,
            ...(parentId.value !== (props.unit.parentId ?? TOP) ? { parentId: parentId.value === TOP ? null : parentId.value } : {}),
          });
    busy.value = false;
    if (!result.ok) return refuse(shown(result.field) ? { [result.field]: result.message } : { form: result.message });
    await admin.reloadUnits();
    if (props.mode === 'create') {
      name.value = '';
      shortName.value = '';
      code.value = '';
    }
    props.onSaved(result.value);
  };

  return (
    <form ref={form} class="admin-form" onSubmit={(e) => void submit(e)} noValidate aria-label={title}>
      <h3>{title}</h3>
      {props.mode === 'create' && props.kinds.length > 1 && (
        <SelectField
          label="类型"
          name="kind"
          value={kind.value}
          options={props.kinds.map((k) => ({ value: k, label: ORG_UNIT_KIND_LABELS[k] }))}
          onChange={(k) => (kind.value = k)}
        />
      )}
      <TextField
        label={`${ORG_UNIT_KIND_LABELS[kind.value]}名称`}
        name="name"
        value={name.value}
        placeholder={NAME_EXAMPLES[kind.value]}
        onInput={(x) => (name.value = x)}
        error={problems.value.name}
      />
      {NUMBERING_KINDS.has(kind.value) && (
        <TextField
          label="简称（用于案件编号）"
          name="shortName"
          value={shortName.value}
          placeholder="如：江口"
          onInput={(x) => (shortName.value = x)}
          error={problems.value.shortName}
          hint={
            <>
              调解案件编号写作“（年份）简称人调字第序号号”。案件由哪个调委会受理，就用哪个调委会的简称（没有调委会时用村或镇的简称）。按现在填写的简称，编号会是：
              <strong>{sampleCaseNumber(shortName.value.trim() || name.value.trim(), year)}</strong>。不填时用全称。
            </>
          }
        />
      )}
      <TextField
        label="代码（可不填）"
        name="code"
        value={code.value}
        placeholder="如：500235110201"
        onInput={(x) => (code.value = x)}
        hint="统计用区划代码或本地编号；不能与其他单位重复。"
        error={problems.value.code}
      />
      {movable && (
        <SelectField
          label="上级单位（可移到别处）"
          name="parentId"
          value={parentId.value}
          options={moveOptions}
          onChange={(x) => (parentId.value = x)}
          error={problems.value.parentId}
        />
      )}
      <ErrorNote message={problems.value.form} />
      <div class="admin-actions">
        <button type="submit" class="admin-primary" disabled={busy.value}>
          {busy.value ? '正在保存…' : props.mode === 'create' ? `添加${ORG_UNIT_KIND_LABELS[kind.value]}` : '保存修改'}
        </button>
        {props.onCancel && (
          <button type="button" class="admin-secondary" onClick={props.onCancel}>
            取消
          </button>
        )}
      </div>
    </form>
  );
}
