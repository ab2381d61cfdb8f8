/**
 * The demo org a newcomer finds on first start: the founding document's own sample records,
 * so its sample request works verbatim against localhost.
 */
import { createClient, createOrgWithAdmin, mintAccessToken } from '../auth/accounts.js';
import type { StoredRecord } from '../store/store.js';
import type { AppContext } from './context.js';

export const DEMO_ORG_ID = '3652397';
export const DEMO_SCOPES = ['ZohoCRM.modules.ALL', 'ZohoCRM.settings.ALL', 'ZohoCRM.users.ALL', 'ZohoCRM.org.ALL'];

export async function seedDemo(ctx: AppContext): Promise<{ orgId: string; userId: string }> {
  const now = ctx.clock.now();
  const { org, admin } = await createOrgWithAdmin(ctx.store, now, { id: DEMO_ORG_ID, prefix: 3652397, name: 'Zylker Corp (demo)', adminEmail: 'patricia.boyle@zylker.example' });
  const rec = (id: string, module: string, data: Record<string, unknown>, parentId: string | null = null): StoredRecord => ({
    id, module, ownerId: admin.id, createdBy: admin.id, modifiedBy: admin.id, createdAt: now, modifiedAt: now, parentId, data,
  });
  const lead = '35240336189014';
  await ctx.store.insertRecords(org.id, [
    rec('3652397000000327001', 'Campaigns', { Campaign_Name: 'Zylker Webinar', Type: 'Webinar', Status: 'Active' }),
    rec('3652397000000925128', 'Contacts', { First_Name: 'Kris', Last_Name: 'Marrier', Full_Name: 'Kris Marrier', Email: 'kris.marrier@zylker.example' }),
    rec('3652397000000649013', 'Contacts', { First_Name: 'Capla', Last_Name: 'Paprocki', Full_Name: 'Capla Paprocki', Email: 'capla.paprocki@zylker.example' }),
    // The seed's browser sample works on Lead 35240336189014 and its notes.
    rec(lead, 'Leads', { First_Name: 'Chau', Last_Name: 'Kitzman', Full_Name: 'Chau Kitzman', Company: 'Benton' }),
    ...['35240336243003', '34770617596026', '34770617246019'].map((id, i) =>
      rec(id, 'Notes', { Note_Title: `Follow-up ${i + 1}`, Note_Content: 'Call back next week', Parent_Id: { name: 'Chau Kitzman', id: lead }, $se_module: 'Leads' }, lead)),
  ]);
  await ctx.store.linkRelated(org.id, { relation: 'campaign_contacts', side: 'left', parentId: '3652397000000327001', relatedModule: 'Contacts' }, [
    { id: '3652397000000925128', data: { Member_Status: 'Invited' } },
    { id: '3652397000000649013', data: { Member_Status: 'Responded' } },
  ], now);
  return { orgId: org.id, userId: admin.id };
}

/** A fresh access token for the demo org's administrator, for the start-up banner. */
export async function demoToken(ctx: AppContext): Promise<string | undefined> {
  const org = await ctx.store.getOrg(DEMO_ORG_ID);
  if (!org) return undefined;
  const users = await ctx.store.listUsers(org.id);
  const profiles = await ctx.store.listProfiles(org.id);
  const admin = users.find((u) => profiles.find((p) => p.id === u.profileId)?.permissions.admin);
  if (!admin) return undefined;
  const now = ctx.clock.now();
  let clientId = typeof org.settings.demoClientId === 'string' ? org.settings.demoClientId : undefined;
  if (!clientId || !(await ctx.store.getClient(clientId))) {
    clientId = (await createClient(ctx.store, org.id, now, { type: 'self', name: 'Demo client' })).client.clientId;
    await ctx.store.updateOrgSettings(org.id, { ...org.settings, demoClientId: clientId });
  }
  return mintAccessToken(ctx.store, now, { clientId, orgId: org.id, userId: admin.id, scopes: DEMO_SCOPES }, null);
}
