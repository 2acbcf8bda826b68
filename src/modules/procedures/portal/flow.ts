import type { Text } from '../../../core/index.ts';
import type { ProcedureDefinition } from '../catalogue/definition.ts';
import { portal } from './texts.ts';

/** Which form: a new filing of a procedure, or a correction (補正) of one of the resident's filings. */
export interface Flow {
  readonly procedureId: string;
  readonly correctionOf?: string | undefined;
}

/** A page of the form: `/procedures/:id/apply[/attachments|/confirm]`, keeping the correction it is for. */
export function flowUrl(flow: Flow, part: '' | '/attachments' | '/confirm', step?: number): string {
  const params = new URLSearchParams();
  if (step !== undefined) params.set('step', String(step + 1));
  if (flow.correctionOf) params.set('correction', flow.correctionOf);
  const query = params.toString();
  return `/procedures/${flow.procedureId}/apply${part}${query ? `?${query}` : ''}`;
}

/** Attachments the resident is asked for (once-only ones the municipality looks up itself). */
export const askedAttachments = (definition: ProcedureDefinition) =>
  definition.attachments.filter((a) => !a.onceOnly);

export interface FlowStep {
  readonly title: Text;
  readonly href: string;
}

/** Every page of the form in order: the layout's steps, attachments when any are asked, confirmation. */
export function flowSteps(definition: ProcedureDefinition, flow: Flow): FlowStep[] {
  const steps: FlowStep[] = definition.layout.steps.map((step, index) => ({
    title: step.title,
    href: flowUrl(flow, '', index),
  }));
  if (askedAttachments(definition).length > 0)
    steps.push({ title: portal.stepAttachments, href: flowUrl(flow, '/attachments') });
  steps.push({
    title: definition.signatureRequired ? portal.stepConfirm : portal.stepConfirmNoSignature,
    href: flowUrl(flow, '/confirm'),
  });
  return steps;
}

/** Where "continue" from the last form step goes. */
export function afterSteps(definition: ProcedureDefinition, flow: Flow): string {
  return askedAttachments(definition).length > 0 ? flowUrl(flow, '/attachments') : flowUrl(flow, '/confirm');
}
