// 设置向导: the first-run walk-through for an admin whose tree is empty. Five steps, each
// saying what it is for, with a form and what already exists, so a newcomer gets from an
// empty server to grid workers who can log in without reading a manual. It opens at the
// first step the data does not yet satisfy; every step can be revisited.
import { useSignal } from '@preact/signals';
import { ORG_UNIT_KIND_LABELS } from '#shared/codes';
import type { OrgUnit } from './api.ts';
import { useAdmin } from './admin-data.ts';
import { NewUserForm, describeGrants } from './AccountsScreen.tsx';
import { DoneNote, SelectField } from './Fields.tsx';
import { completedSteps, firstOpenStep, SETUP_STEPS, unitPath, type SetupStep } from './org-rules.ts';
import { UnitForm } from './UnitForm.tsx';

const STEP_HELP: Record<SetupStep, string> = {
  1: '先填所属的县（区），再建乡镇（或街道）。统计和年度报告按乡镇汇总；县用于报告的落款（中共××县××镇委员会）和主送（县委、县政府）。',
  2: '在乡镇下添加各个村和社区。调解案件和普法活动按村/社区统计。',
  3: '在每个村/社区下添加网格。网格员的账号分配在网格上，只能看到本网格的记录。',
  4: '创建人民调解委员会（镇调委会、村调委会）。调委会的简称会出现在案件编号里。',
  5: '为网格员、调解员和机关工作人员创建账号，并把角色分配到对应的单位上。',
};

export function FirstRun(props: { onFinish: () => void }) {
  const admin = useAdmin();
  const units = admin.units.value ?? [];
  const users = admin.users.value ?? [];
  const done = completedSteps(units, users);
  const step = useSignal<SetupStep>(firstOpenStep(done));
  const current = step.value;
  const title = SETUP_STEPS.find((s) => s.step === current)!.title;

  return (
    <section class="admin-setup" aria-labelledby="setup-title">
      <h2 id="setup-title">设置向导</h2>
      <p class="admin-muted">按下面五步建好组织架构和账号。每一步都可以回头修改，以后也可以在“组织架构”和“账号”里继续调整。</p>
      <ol class="admin-stepper" aria-label="步骤">
        {SETUP_STEPS.map((s) => (
          <li key={s.step}>
            <button
              type="button"
              class={s.step === current ? 'is-current' : undefined}
              aria-current={s.step === current ? 'step' : undefined}
              onClick={() => (step.value = s.step)}
            >
              {done.has(s.step) ? '✓ ' : ''}步骤 {s.step} {s.title}
            </button>
          </li>
        ))}
      </ol>
      <div class="admin-card">
        <h3>
          步骤 {current}：{title}
        </h3>
        <p>{STEP_HELP[current]}</p>
        {current === 1 && <TownStep />}
        {current === 2 && <UnderParentStep parentKinds={['town']} childKinds={['village', 'community']} parentLabel="所属乡镇" />}
        {current === 3 && <UnderParentStep parentKinds={['village', 'community']} childKinds={['grid']} parentLabel="所属村/社区" />}
        {current === 4 && <CommitteeStep />}
        {current === 5 && (
          <>
            <Existing
              title="已创建的账号"
              items={users.filter((u) => u.roles.some((g) => g.role !== 'admin')).map((u) => `${u.displayName}（${u.username}）：${describeGrants(u, units)}`)}
            />
            <AccountStep />
          </>
        )}
      </div>
      <div class="admin-actions admin-step-nav">
        {current > 1 && (
          <button type="button" class="admin-secondary" onClick={() => (step.value = (current - 1) as SetupStep)}>
            上一步
          </button>
        )}
        {current < 5 ? (
          <button type="button" class="admin-primary" disabled={!done.has(current)} onClick={() => (step.value = (current + 1) as SetupStep)}>
            下一步：{SETUP_STEPS[current]!.title}
          </button>
        ) : (
          <button type="button" class="admin-primary" onClick={props.onFinish}>
            完成设置
          </button>
        )}
      </div>
      {!done.has(current) && current < 5 && <p class="admin-muted">完成这一步后才能进入下一步。</p>}
    </section>
  );
}

function Existing(props: { title: string; items: string[] }) {
  if (!props.items.length) return null;
  return (
    <div class="admin-existing">
      <h4>{props.title}</h4>
      <ul>
        {props.items.map((x) => (
          <li key={x}>{x}</li>
        ))}
      </ul>
    </div>
  );
}

/** Step 1: the county (for the report's letterhead and 主送), then the town under it. */
function TownStep() {
  const admin = useAdmin();
  const units = admin.units.value ?? [];
  const towns = units.filter((u) => u.kind === 'town');
  const counties = units.filter((u) => u.kind === 'county');
  const note = useSignal<string | undefined>(undefined);
  const county = counties[0];
  const orphanTowns = towns.filter((t) => t.parentId === null);
  return (
    <>
      <Existing title="已创建的县（区）" items={counties.map((c) => c.name)} />
      <Existing title="已创建的乡镇" items={towns.map((t) => `${unitPath(units, t.id)}${t.shortName ? `（简称 ${t.shortName}）` : ''}`)} />
      <DoneNote message={note.value} />
      {!county && towns.length === 0 && (
        <UnitForm mode="create" parent={null} kinds={['county']} onSaved={(u) => (note.value = `已创建“${u.name}”，请在它下面添加乡镇`)} />
      )}
      {county && towns.length === 0 && (
        <UnitForm mode="create" parent={county} kinds={['town']} onSaved={(u) => (note.value = `已创建“${u.name}”，请点“下一步”`)} />
      )}
      {orphanTowns.length > 0 && (
        <p class="admin-muted">
          {orphanTowns.map((t) => t.name).join('、')}上面还没有县（区）：年度报告的落款和主送要用到它。可在“组织架构”里添加县，再把乡镇移到县下。
        </p>
      )}
    </>
  );
}

/** Steps 2 and 3: pick the parent (the only one is preselected), see its children, add more. */
function UnderParentStep(props: { parentKinds: readonly OrgUnit['kind'][]; childKinds: readonly OrgUnit['kind'][]; parentLabel: string }) {
  const admin = useAdmin();
  const units = admin.units.value ?? [];
  const parents = units.filter((u) => props.parentKinds.includes(u.kind));
  const chosen = useSignal(parents[0]?.id ?? '');
  const note = useSignal<string | undefined>(undefined);
  const parent = parents.find((p) => p.id === chosen.value) ?? parents[0];
  if (!parent) return <p class="admin-error">请先完成上一步。</p>;
  const children = units.filter((u) => u.parentId === parent.id && props.childKinds.includes(u.kind));
  return (
    <>
      {parents.length > 1 && (
        <SelectField
          label={props.parentLabel}
          name="setupParent"
          value={parent.id}
          options={parents.map((p) => ({ value: p.id, label: unitPath(units, p.id) }))}
          onChange={(x) => (chosen.value = x)}
        />
      )}
      <Existing title={`“${parent.name}”下已有`} items={children.map((c) => `${ORG_UNIT_KIND_LABELS[c.kind]}：${c.name}`)} />
      <DoneNote message={note.value} />
      <UnitForm
        key={parent.id}
        mode="create"
        parent={parent}
        kinds={props.childKinds}
        onSaved={(u) => (note.value = `已添加“${u.name}”，可以继续添加，或点“下一步”`)}
      />
    </>
  );
}

function CommitteeStep() {
  const admin = useAdmin();
  const units = admin.units.value ?? [];
  const places = units.filter((u) => u.kind === 'town' || u.kind === 'village' || u.kind === 'community');
  const chosen = useSignal(places.find((p) => p.kind === 'town')?.id ?? '');
  const note = useSignal<string | undefined>(undefined);
  const place = places.find((p) => p.id === chosen.value) ?? places[0];
  if (!place) return <p class="admin-error">请先完成步骤 1。</p>;
  const committees = units.filter((u) => u.kind === 'committee' || u.kind === 'station');
  return (
    <>
      <Existing title="已创建的调委会和调解室" items={committees.map((c) => `${unitPath(units, c.id)}${c.shortName ? `（简称 ${c.shortName}）` : ''}`)} />
      <SelectField
        label="调委会设在"
        name="committeeParent"
        value={place.id}
        options={places.map((p) => ({ value: p.id, label: `${unitPath(units, p.id)}（${ORG_UNIT_KIND_LABELS[p.kind]}）` }))}
        onChange={(x) => (chosen.value = x)}
        hint="镇调委会设在乡镇下，村调委会设在村/社区下。驻法庭、驻派出所调解室可在“组织架构”里添加。"
      />
      <DoneNote message={note.value} />
      <UnitForm
        key={place.id}
        mode="create"
        parent={place}
        kinds={['committee']}
        initial={{ name: `${place.name}人民调解委员会`, shortName: place.shortName ?? '' }}
        onSaved={(u) => (note.value = `已创建“${u.name}”，可以继续为村/社区创建，或点“下一步”`)}
      />
    </>
  );
}

function AccountStep() {
  const admin = useAdmin();
  const round = useSignal(0);
  const note = useSignal<string | undefined>(undefined);
  return (
    <>
      <DoneNote message={note.value} />
      <NewUserForm
        key={round.value}
        units={admin.units.value ?? []}
        onCreated={(u) => {
          note.value = `已创建账号 ${u.username}（${u.displayName}）。可以继续创建下一个账号。`;
          round.value++;
        }}
      />
    </>
  );
}
