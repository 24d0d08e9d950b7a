// 组织架构: the tree (镇 → 村/社区 → 网格, with 调委会 and 派驻调解室), a panel to rename, move
// or add under the chosen unit, and the sheet import.
import { useSignal } from '@preact/signals';
import { useEffect, useMemo, useRef } from 'preact/hooks';
import { ORG_UNIT_KIND_LABELS } from '#shared/codes';
import type { OrgUnit } from './api.ts';
import { useAdmin } from './admin-data.ts';
import { DoneNote } from './Fields.tsx';
import { OrgImport } from './OrgImport.tsx';
import { CloseUnitForm } from './CloseUnitForm.tsx';
import { buildTree, childKindsOf, closedNote, type TreeNode } from './org-rules.ts';
import { UnitForm } from './UnitForm.tsx';

type Panel = { kind: 'none' } | { kind: 'unit'; id: string; editing: boolean } | { kind: 'top' } | { kind: 'import' };

export function OrgScreen() {
  const admin = useAdmin();
  const panel = useSignal<Panel>({ kind: 'none' });
  const done = useSignal<string | undefined>(undefined);
  /** A unit just added or moved: its parents open and it scrolls into the tree's view. */
  const revealed = useSignal<string | undefined>(undefined);
  const panelBox = useRef<HTMLDivElement>(null);
  useEffect(() => void admin.reloadUnits(), [admin]);
  const units = admin.units.value;
  const opened = useMemo(() => ancestorsOf(units ?? [], revealed.value), [units, revealed.value]);
  // The panel follows a unit picked low in a long tree (it is sticky on a desk; on a phone it sits below the tree).
  const shownId = panel.value.kind === 'unit' ? panel.value.id : panel.value.kind;
  useEffect(() => {
    panelBox.current?.scrollIntoView?.({ block: 'nearest' });
  }, [shownId]);
  if (!units) return <p class="admin-muted">正在读取组织架构…</p>;

  const selected = panel.value.kind === 'unit' ? units.find((u) => u.id === (panel.value as { id: string }).id) : undefined;
  const select = (id: string) => {
    done.value = undefined;
    revealed.value = undefined;
    panel.value = { kind: 'unit', id, editing: false };
  };
  const saved = (message: string, selectId: string, revealId: string) => {
    select(selectId);
    done.value = message;
    revealed.value = revealId;
  };

  return (
    <section class="admin-org" aria-labelledby="org-title">
      <div class="admin-toolbar">
        <h2 id="org-title">组织架构</h2>
        <button type="button" class="admin-secondary" onClick={() => (panel.value = { kind: 'top' })}>
          添加乡镇
        </button>
        <button type="button" class="admin-secondary" onClick={() => (panel.value = { kind: 'import' })}>
          从表格导入
        </button>
      </div>
      <div class="admin-columns">
        <div class="admin-tree-box">
          {units.length === 0 ? (
            <p class="admin-muted">还没有任何单位。点“添加乡镇”开始，或用“从表格导入”一次建好。</p>
          ) : (
            <ul class="admin-tree" role="tree" aria-label="组织架构">
              {buildTree(units).map((n) => (
                <TreeItem
                  key={n.unit.id}
                  node={n}
                  depth={0}
                  openAll={units.length <= OPEN_ALL_UP_TO}
                  selectedId={selected?.id}
                  onSelect={select}
                  units={units}
                  opened={opened}
                  revealedId={revealed.value}
                />
              ))}
            </ul>
          )}
        </div>
        <div class="admin-panel" ref={panelBox}>
          <DoneNote message={done.value} />
          {panel.value.kind === 'top' && (
            <UnitForm
              mode="create"
              parent={null}
              kinds={childKindsOf(null)}
              onSaved={(u) => saved(`已添加${ORG_UNIT_KIND_LABELS[u.kind]}“${u.name}”`, u.id, u.id)}
              onCancel={() => (panel.value = { kind: 'none' })}
            />
          )}
          {panel.value.kind === 'import' && <OrgImport onImported={(n) => ((done.value = `已导入 ${n} 个单位`), (panel.value = { kind: 'none' }))} />}
          {selected && panel.value.kind === 'unit' && (
            <UnitPanel
              key={selected.id}
              unit={selected}
              editing={panel.value.editing}
              onEdit={(editing) => (panel.value = { kind: 'unit', id: selected.id, editing })}
              onSaved={(message, id, revealId) => saved(message, id, revealId ?? id)}
            />
          )}
          {panel.value.kind === 'none' && <p class="admin-muted">在左边点一个单位，可以修改它、移动它或在它下面添加单位。</p>}
        </div>
      </div>
    </section>
  );
}

/** Small trees show whole; in a big one (a town has 100+ grids) the grids wait for a tap. */
const OPEN_ALL_UP_TO = 80;

/** The units above `id`, which must be open for it to show. */
function ancestorsOf(units: readonly OrgUnit[], id: string | undefined): ReadonlySet<string> {
  const byId = new Map(units.map((u) => [u.id, u]));
  const out = new Set<string>();
  let parentId = id === undefined ? null : (byId.get(id)?.parentId ?? null);
  while (parentId !== null && !out.has(parentId)) {
    out.add(parentId);
    parentId = byId.get(parentId)?.parentId ?? null;
  }
  return out;
}

function TreeItem(props: {
  node: TreeNode;
  depth: number;
  openAll: boolean;
  selectedId: string | undefined;
  onSelect: (id: string) => void;
  units: readonly OrgUnit[];
  /** Units to open (above the one revealed). */
  opened: ReadonlySet<string>;
  revealedId: string | undefined;
}) {
  const { unit, children } = props.node;
  const closed = closedNote(props.units, unit);
  const selected = unit.id === props.selectedId;
  const open = useSignal(props.openAll || props.depth < 1 || unit.kind === 'county');
  const row = useRef<HTMLButtonElement>(null);
  const mustOpen = props.opened.has(unit.id);
  useEffect(() => {
    if (mustOpen) open.value = true;
  }, [mustOpen, props.opened, open]);
  const revealed = unit.id === props.revealedId;
  useEffect(() => {
    if (revealed) row.current?.scrollIntoView?.({ block: 'nearest' });
  }, [revealed, props.opened]);
  const grids = children.filter((c) => c.unit.kind === 'grid').length;
  return (
    <li role="treeitem" aria-selected={selected} aria-expanded={children.length ? open.value : undefined}>
      <div class="admin-node-row">
        {children.length > 0 ? (
          <button type="button" class="admin-toggle" aria-label={`${open.value ? '收起' : '展开'}${unit.name}`} onClick={() => (open.value = !open.value)}>
            {open.value ? '▾' : '▸'}
          </button>
        ) : (
          <span class="admin-toggle" aria-hidden="true" />
        )}
        <button
          ref={row}
          type="button"
          class={`admin-node${selected ? ' is-selected' : ''}${closed ? ' is-closed' : ''}${revealed ? ' is-new' : ''}`}
          onClick={() => props.onSelect(unit.id)}
        >
          <span class={`admin-kind kind-${unit.kind}`}>{ORG_UNIT_KIND_LABELS[unit.kind]}</span> {unit.name}
          {unit.shortName && <span class="admin-muted">（简称 {unit.shortName}）</span>}
          {closed && <span class="admin-closed-badge"> {closed}</span>}
          {!open.value && grids > 0 && <span class="admin-muted"> · {grids} 个网格</span>}
        </button>
      </div>
      {children.length > 0 && open.value && (
        <ul role="group">
          {children.map((c) => (
            <TreeItem
              key={c.unit.id}
              node={c}
              depth={props.depth + 1}
              openAll={props.openAll}
              selectedId={props.selectedId}
              onSelect={props.onSelect}
              units={props.units}
              opened={props.opened}
              revealedId={props.revealedId}
            />
          ))}
        </ul>
      )}
    </li>
  );
}

function UnitPanel(props: {
  unit: OrgUnit;
  editing: boolean;
  onEdit: (editing: boolean) => void;
  /** `id` stays selected; `revealId` (a unit just added under it) is shown in the tree. */
  onSaved: (message: string, id: string, revealId?: string) => void;
}) {
  const { unit } = props;
  const admin = useAdmin();
  const closed = closedNote(admin.units.value ?? [], unit);
  const kinds = closed ? [] : childKindsOf(unit.kind);
  const addKind = useSignal(kinds[0]);
  const closing = useSignal(false);
  return (
    <div class="admin-unit">
      <h3>
        {ORG_UNIT_KIND_LABELS[unit.kind]}：{unit.name}
      </h3>
      <dl class="admin-facts">
        <dt>简称</dt>
        <dd>{unit.shortName || '（未填，案件编号用全称）'}</dd>
        <dt>代码</dt>
        <dd>{unit.code || '（未填）'}</dd>
        <dt>系统编号</dt>
        <dd>
          <code>{unit.id}</code>
        </dd>
        {closed && (
          <>
            <dt>状态</dt>
            <dd data-testid="unit-closed">{closed}（不再接收新记录，已有记录保留）</dd>
          </>
        )}
      </dl>
      {closed ? null : closing.value ? (
        <CloseUnitForm
          unit={unit}
          onSaved={(message) => {
            closing.value = false;
            props.onSaved(message, unit.id);
          }}
          onCancel={() => (closing.value = false)}
        />
      ) : props.editing ? (
        <UnitForm mode="edit" unit={unit} onSaved={(u) => props.onSaved(`已保存“${u.name}”`, u.id)} onCancel={() => props.onEdit(false)} />
      ) : (
        <div class="admin-actions">
          <button type="button" class="admin-secondary" onClick={() => props.onEdit(true)}>
            修改名称、简称或上级
          </button>
          {unit.parentId !== null && (
            <button type="button" class="admin-secondary" onClick={() => (closing.value = true)}>
              撤并…
            </button>
          )}
        </div>
      )}
      {kinds.length > 0 && !props.editing && !closing.value && (
        <>
          <div class="admin-actions" role="group" aria-label="添加下级">
            {kinds.map((k) => (
              <button
                key={k}
                type="button"
                class={k === addKind.value ? 'admin-chip is-on' : 'admin-chip'}
                aria-pressed={k === addKind.value}
                onClick={() => (addKind.value = k)}
              >
                添加{ORG_UNIT_KIND_LABELS[k]}
              </button>
            ))}
          </div>
          {addKind.value && (
            <UnitForm
              key={`${unit.id}-${addKind.value}`}
              mode="create"
              parent={unit}
              kinds={[addKind.value]}
              onSaved={(u) => props.onSaved(`已在“${unit.name}”下添加${ORG_UNIT_KIND_LABELS[u.kind]}“${u.name}”`, unit.id, u.id)}
            />
          )}
        </>
      )}
    </div>
  );
}
