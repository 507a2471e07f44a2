export { DatabaseChanges } from './database-changes.fixture';
export {
  recordedMissionChanges,
  recordedStepChanges,
  unaccountedStepChanges,
  type RecordedStepChange,
} from './step-changes.fixture';
