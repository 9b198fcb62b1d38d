// Shared by PersistentVolume and PersistentVolumeClaim: access modes as kubectl abbreviates them.
import { own } from '../own.js';
const SHORT: Record<string, string> = { ReadWriteOnce: 'RWO', ReadOnlyMany: 'ROX', ReadWriteMany: 'RWX', ReadWriteOncePod: 'RWOP' };
export const ACCESS_MODES = Object.keys(SHORT);

export function accessModesCell(modes: string[] | undefined): string {
  return (modes ?? []).map((m) => own<string>(SHORT, m) ?? m).join(',');
}
