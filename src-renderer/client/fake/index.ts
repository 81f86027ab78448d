export { FakeClient, type FakeClientOptions } from './FakeClient';
export { SCENARIOS, OPEN_INCIDENT_ID, type ScenarioName } from './fixtures/scenario';
