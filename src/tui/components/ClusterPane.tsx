// The lesson namespace at a glance, k9s-style: pods, deployments, services and recent events,
// with statuses in colour (running green, waiting yellow, failing red, finished grey).
import { Box, Text } from 'ink';
import type { NamespaceSnapshot, Table } from '../../core/index.js';
import { useTheme, type Theme } from './theme.js';

const SHOWN: Record<string, string[]> = {
  pods: ['Name', 'Ready', 'Status', 'Restarts', 'Age'],
  deployments: ['Name', 'Ready', 'Up-to-date', 'Available', 'Age'],
  services: ['Name', 'Type', 'Cluster-IP', 'Port(s)'],
  events: ['Type', 'Reason', 'Object', 'Message'],
};

export function statusColour(status: string, theme: Theme): string | undefined {
  if (!theme.colour) return undefined;
  if (/^(Running|Active|Bound|True)$/.test(status)) return theme.ok;
  if (/^(Completed|Succeeded|Terminating)$/.test(status)) return theme.dim;
  if (/(Err|BackOff|Fail|Crash|OOM|Invalid|Evicted|Unknown|Warning)/.test(status)) return theme.bad;
  if (/^(Pending|ContainerCreating|PodInitializing|Init:)/.test(status)) return theme.warn;
  return undefined;
}

function pick(t: Table, wanted: string[]): { columns: string[]; rows: string[][] } {
  const idx = wanted.map((w) => t.columns.findIndex((c) => c.toLowerCase() === w.toLowerCase())).filter((i) => i >= 0);
  return { columns: idx.map((i) => t.columns[i]), rows: t.rows.map((r) => idx.map((i) => r[i])) };
}

function Section({ title, table, width, maxRows }: { title: string; table: Table | undefined; width: number; maxRows: number }) {
  const theme = useTheme();
  if (!table) return null;
  const t = pick(table, SHOWN[title]);
  const widths = t.columns.map((c, i) => Math.max(c.length, ...t.rows.map((r) => r[i].length)));
  const statusCol = t.columns.findIndex((c) => c === 'Status' || c === 'Type');
  const fit = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  const rows = title === 'events' ? t.rows.slice(-maxRows) : t.rows.slice(0, maxRows);
  return (
    <Box flexDirection="column" marginBottom={1} flexShrink={0}>
      <Text bold color={theme.heading}>
        {title.toUpperCase()} <Text color={theme.dim}>({t.rows.length})</Text>
      </Text>
      {t.rows.length === 0 ? (
        <Text color={theme.dim}> none</Text>
      ) : (
        <>
          <Text color={theme.dim} wrap="truncate-end">
            {fit(t.columns.map((c) => c.toUpperCase())).slice(0, width)}
          </Text>
          {rows.map((r, n) => (
            <Text key={n} wrap="truncate-end">
              {r.map((cell, i) => (
                <Text key={i} color={i === statusCol ? statusColour(cell, theme) : undefined}>
                  {i === r.length - 1 ? cell : `${cell.padEnd(widths[i])}  `}
                </Text>
              ))}
            </Text>
          ))}
          {t.rows.length > rows.length ? <Text color={theme.dim}> … {t.rows.length - rows.length} more</Text> : null}
        </>
      )}
    </Box>
  );
}

export function ClusterPane({ snapshot, width, height }: { snapshot: NamespaceSnapshot | undefined; width: number; height: number }) {
  const theme = useTheme();
  if (!snapshot) return <Text color={theme.dim}>Reading the cluster…</Text>;
  const per = Math.max(1, Math.floor((height - 10) / 4));
  return (
    <Box flexDirection="column" flexShrink={0}>
      <Text color={theme.dim}>namespace {snapshot.namespace}</Text>
      {snapshot.error ? <Text color={theme.bad}>{snapshot.error}</Text> : null}
      <Section title="pods" table={snapshot.pods} width={width} maxRows={per + 2} />
      <Section title="deployments" table={snapshot.deployments} width={width} maxRows={per} />
      <Section title="services" table={snapshot.services} width={width} maxRows={per} />
      <Section title="events" table={snapshot.events} width={width} maxRows={per} />
    </Box>
  );
}
