// The API's types, from client/ts/schema.d.ts (generated from openapi.yaml
// by openapi-typescript; TestTypeScriptClient keeps it current). Only
// types: nothing of client/ts is bundled.
import type { components } from '../../client/ts/schema';

type S = components['schemas'];
export type Room = S['Room'];
export type NewRoom = S['NewRoom'];
export type MenuItem = S['MenuItem'];
export type MenuItemInput = S['MenuItemInput'];
export type Member = S['Member'];
export type Choice = S['Choice'];
export type Snapshot = S['Snapshot'];
export type Summary = S['Summary'];
export type MemberShare = S['MemberShare'];
export type Draft = S['Draft'];
export type DraftItem = S['DraftItem'];
export type StaffOrder = S['StaffOrder'];
export type ClientConfig = S['ClientConfig'];
export type JoinResponse = S['JoinResponse'];
export type RoomPreview = S['RoomPreview'];
export type ChoiceResponse = S['ChoiceResponse'];
export type VersionResponse = S['VersionResponse'];
export type MemberResponse = S['MemberResponse'];
export type MenuResponse = S['MenuResponse'];
export type DishNameResponse = S['DishNameResponse'];
export type RoomPatch = S['RoomPatch'];
export type Changes = S['Changes'];
export type ProblemCode = S['Problem']['code'];
export type ChoiceEvent = S['ChoiceEvent'];
export type MemberEvent = S['MemberEvent'];
export type LeftEvent = S['LeftEvent'];
export type PresenceEvent = S['PresenceEvent'];
export type RoomEvent = S['RoomEvent'];
export type MenuEvent = S['MenuEvent'];
export type DishNameEvent = S['DishNameEvent'];
export type DoneEvent = S['DoneEvent'];
export type RenamedEvent = S['RenamedEvent'];
export type ClosedEvent = S['ClosedEvent'];
export type EventPosition = S['EventPosition'];
