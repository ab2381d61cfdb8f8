/** Set-up through the API: a campaign with linked contacts. */
import { api } from './server.js';

export async function insert(base: string, token: string, module: string, data: Record<string, unknown>[]): Promise<string[]> {
  const res = await api(base, token, 'POST', `/crm/v2/${module}`, { data });
  if (res.status !== 201) throw new Error(`insert ${module}: ${res.status} ${res.text}`);
  return res.body.data.map((d: { details: { id: string } }) => d.details.id);
}

export async function campaignWithContacts(base: string, token: string, count: number): Promise<{ campaignId: string; contactIds: string[] }> {
  const [campaignId] = await insert(base, token, 'Campaigns', [{ Campaign_Name: 'Spring webinar' }]);
  const contactIds = await insert(base, token, 'Contacts', Array.from({ length: count }, (_, i) => ({ Last_Name: `Contact ${i + 1}` })));
  const linked = await api(base, token, 'PUT', `/crm/v2/Campaigns/${campaignId}/Contacts`, { data: contactIds.map((id) => ({ id })) });
  if (linked.status !== 200) throw new Error(`link: ${linked.status} ${linked.text}`);
  return { campaignId, contactIds };
}
