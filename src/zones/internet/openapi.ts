import { errorCodes, type HttpApp } from '../../core/index.ts';
import { CardAnswer } from '../../modules/mykey/index.ts';
import {
  ChargeBody,
  ChargeReceiptSchema,
  CodeBody,
  DayQuery,
  ExchangeBody,
  RefundBody,
} from '../../modules/points/index.ts';

const problem = {
  description: 'RFC 9457 problem',
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
};
const json = (schema: object, description = 'OK') => ({
  description,
  content: { 'application/json': { schema } },
});
const body = (schema: object) => ({ required: true, content: { 'application/json': { schema } } });
const errors = { '400': problem, '401': problem, '404': problem, '409': problem };

/**
 * OpenAPI 3.1 for the machine-to-machine APIs of the internet zone: partners (signed with
 * their Ed25519 keys), merchants' terminals and facilities' card readers (bearer keys). The
 * request schemas are the ones the routes validate with; a test keeps the paths in step
 * with the routes the zone registers.
 */
export function openApiDocument() {
  const paths = {
    '/api/v1/municipalities/{lgCode}/points/partners/{partnerId}/exchanges': {
      post: {
        summary: "Convert a resident's partner points into municipal points",
        description:
          "Rate and daily cap per resident are the municipality's; the same exchangeId again converts once (200). " +
          'Sign `timestamp\\nPOST\\npath\\nsha256hex(body)` with the partner key (Ed25519).',
        security: [{ partnerSignature: [] }],
        parameters: [
          { name: 'lgCode', in: 'path', required: true, schema: { type: 'string', pattern: '^\\d{6}$' } },
          { name: 'partnerId', in: 'path', required: true, schema: { type: 'string' } },
          {
            name: 'x-machi-timestamp',
            in: 'header',
            required: true,
            schema: { type: 'string', pattern: '^\\d{13}$' },
          },
          {
            name: 'x-machi-signature',
            in: 'header',
            required: true,
            schema: { type: 'string', format: 'byte' },
          },
        ],
        requestBody: body(ExchangeBody),
        responses: {
          '201': json(
            {
              type: 'object',
              properties: {
                exchangeId: { type: 'string' },
                partnerPoints: { type: 'integer' },
                points: { type: 'integer' },
                at: { type: 'string', format: 'date-time' },
              },
            },
            'Converted',
          ),
          '200': json({ type: 'object' }, 'The same exchange, converted before'),
          ...errors,
        },
      },
    },
    '/api/v1/points/merchant/codes': {
      post: {
        summary: 'The QR code (EMV MPM) to show: static, or with an amount',
        security: [{ terminalKey: [] }],
        requestBody: body(CodeBody),
        responses: {
          '200': json({
            type: 'object',
            properties: { qr: { type: 'string' }, kind: { enum: ['static', 'dynamic'] } },
          }),
          ...errors,
        },
      },
    },
    '/api/v1/points/merchant/charges': {
      post: {
        summary: "Charge a resident's one-time code (JPQR consumer-presented, 20 digits)",
        description:
          'The code pays once, within 5 minutes of being shown; the same chargeId again answers the first ' +
          "payment (200). The payment is in the day's list and refunded by its ref like any other.",
        security: [{ terminalKey: [] }],
        requestBody: body(ChargeBody),
        responses: {
          '201': json(ChargeReceiptSchema, 'Paid'),
          '200': json(ChargeReceiptSchema, 'The same charge, paid before'),
          ...errors,
        },
      },
    },
    '/api/v1/points/merchant/day': {
      get: {
        summary: "The day's payments by reference, with totals (Japan time)",
        security: [{ terminalKey: [] }],
        parameters: [{ name: 'date', in: 'query', required: false, schema: DayQuery.properties.date }],
        responses: { '200': json({ type: 'object' }), ...errors },
      },
    },
    '/api/v1/points/merchant/refunds': {
      post: {
        summary: 'Pay a payment back in full, once',
        security: [{ terminalKey: [] }],
        requestBody: body(RefundBody),
        responses: {
          '201': json({ type: 'object' }, 'Refunded'),
          '200': json({ type: 'object' }, 'Refunded before'),
          ...errors,
        },
      },
    },
    '/api/v1/mykey/reader/challenges': {
      post: {
        summary: 'A challenge for the card held to this reader',
        security: [{ terminalKey: [] }],
        responses: {
          '200': json({
            type: 'object',
            properties: { challenge: { type: 'string' }, expiresAt: { type: 'string' } },
          }),
          ...errors,
        },
      },
    },
    '/api/v1/mykey/reader/members': {
      post: {
        summary: "The card holder's member number at this facility, and nothing else",
        description:
          'The card signs `machi-jpki-sign-in/1\\n` + challenge with its auth certificate (RSASSA-PKCS1-v1_5 SHA-256).',
        security: [{ terminalKey: [] }],
        requestBody: body(CardAnswer),
        responses: {
          '200': json({ type: 'object', properties: { memberNumber: { type: 'string' } } }),
          ...errors,
        },
      },
    },
  };
  return {
    openapi: '3.1.0',
    info: { title: 'Machi — partner, merchant and terminal APIs', version: '1' },
    paths,
    components: {
      securitySchemes: {
        terminalKey: {
          type: 'http',
          scheme: 'bearer',
          description: 'A merchant terminal key (mk_…) or facility reader key (fk_…)',
        },
        partnerSignature: {
          type: 'apiKey',
          in: 'header',
          name: 'x-machi-signature',
          description: 'Ed25519 signature, see the exchange operation',
        },
      },
      schemas: {
        Problem: {
          type: 'object',
          properties: {
            type: { enum: Object.keys(errorCodes).map((code) => `/problems/${code}`) },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
          },
        },
      },
    },
  };
}

/** Serves the document at GET /api/v1/openapi.json. */
export function registerOpenApi(app: HttpApp): void {
  const document = openApiDocument();
  app.get('/api/v1/openapi.json', async () => document);
}
