/**
 * The missions board's columns: one per mission status, in the order work moves through them, each
 * with its missions in the order the API listed them (newest first).
 * @module
 */
import { type MissionItem, type MissionStatus, missionStatuses } from '@atc/contracts';

type Mission = ReturnType<typeof MissionItem.parse>;

interface BoardColumn {
  readonly status: MissionStatus;
  readonly title: string;
  readonly missions: readonly Mission[];
}

const COLUMN_TITLES: Readonly<Record<MissionStatus, string>> = {
  queued: 'Queued',
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** Every status has its column, empty or not, so a mission moving between them never shifts the board. */
function boardColumns(missions: readonly Mission[]): BoardColumn[] {
  return missionStatuses.map((status) => ({
    status,
    title: COLUMN_TITLES[status],
    missions: missions.filter((mission) => mission.status === status),
  }));
}

export { type BoardColumn, boardColumns, type Mission };
