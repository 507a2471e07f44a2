/**
 * Missions and their steps (attempts, last errors, lease owners).
 * @module
 */
import { IdParams, MissionDetail, MissionListQuery, MissionPage } from '@atc/contracts';
import { NotFoundError } from '@atc/platform';
import { pageMissions, selectMissionSteps, selectMissionView } from '@atc/trading';
import { defineRoute, ok } from '../../api-route';
import { pageRequestOf, toWire, wirePage } from './route-wire';

export const listMissionsRoute = defineRoute({
  method: 'GET',
  path: '/api/missions',
  access: 'read',
  summary: 'Missions, newest first, filtered by status and market',
  tag: 'missions',
  query: MissionListQuery,
  response: MissionPage,
  async handle({ query }, context) {
    const page = await pageMissions(
      context.pool,
      { status: query.status, market: query.market },
      pageRequestOf(query),
    );
    return ok(toWire(MissionPage, wirePage(page)));
  },
});

export const getMissionRoute = defineRoute({
  method: 'GET',
  path: '/api/missions/:id',
  access: 'read',
  summary: 'One mission with its steps: status, attempts, last error, lease owner',
  tag: 'missions',
  params: IdParams,
  response: MissionDetail,
  async handle({ params }, context) {
    const mission = await selectMissionView(context.pool, params.id);
    if (!mission) throw new NotFoundError(`mission ${params.id} does not exist`);
    const steps = await selectMissionSteps(context.pool, mission.id);
    return ok(toWire(MissionDetail, { ...mission, steps }));
  },
});

export const missionRoutes = [listMissionsRoute, getMissionRoute] as const;
