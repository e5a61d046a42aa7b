/**
 * The synthetic service graph: ~20 services of an online shop with HTTP, gRPC, database and messaging
 * edges. Traces walk it from an entry service.
 */

/** One outgoing edge of a service. */
export type Call =
  | { type: 'http'; to: string; route: string }
  | { type: 'grpc'; to: string; service: string; method: string }
  | { type: 'db'; system: string; db: string; statements: string[] }
  | { type: 'messaging'; system: string; topic: string; to: string }

/** One service and what it calls. */
export interface ServiceDef {
  name: string
  namespace: string
  language: string
  /** Operations its server spans are named after. */
  operations: string[]
  calls: Call[]
}

const sql = (table: string): string[] => [
  `SELECT id, name, price, updated_at FROM ${table} WHERE id = $1`,
  `UPDATE ${table} SET updated_at = now(), version = version + 1 WHERE id = $1 AND version = $2`,
  `INSERT INTO ${table} (id, payload, created_at) VALUES ($1, $2, now()) ON CONFLICT (id) DO NOTHING`,
  `SELECT * FROM ${table} t JOIN audit a ON a.ref = t.id WHERE t.tenant = $1 ORDER BY a.ts DESC LIMIT 50`,
]

/** The catalogue; the first three are entry points. */
export const SERVICES: ServiceDef[] = [
  { name: 'frontend', namespace: 'shop', language: 'nodejs', operations: ['GET /', 'GET /product/{id}', 'POST /cart', 'POST /checkout', 'GET /search'], calls: [
    { type: 'grpc', to: 'cart', service: 'CartService', method: 'GetCart' },
    { type: 'grpc', to: 'catalog', service: 'CatalogService', method: 'GetProduct' },
    { type: 'http', to: 'checkout', route: '/api/checkout' },
    { type: 'http', to: 'search', route: '/api/search' },
    { type: 'grpc', to: 'auth', service: 'AuthService', method: 'Verify' },
    { type: 'grpc', to: 'recommendation', service: 'RecommendationService', method: 'List' },
    { type: 'grpc', to: 'ad', service: 'AdService', method: 'GetAds' },
  ] },
  { name: 'api-gateway', namespace: 'edge', language: 'go', operations: ['GET /v1/orders', 'POST /v1/orders', 'GET /v1/users/{id}'], calls: [
    { type: 'grpc', to: 'auth', service: 'AuthService', method: 'Verify' },
    { type: 'http', to: 'orders', route: '/orders' },
    { type: 'grpc', to: 'users', service: 'UserService', method: 'GetUser' },
    { type: 'http', to: 'search', route: '/api/search' },
  ] },
  { name: 'batch-scheduler', namespace: 'jobs', language: 'java', operations: ['run nightly-export', 'run reindex', 'run invoices'], calls: [
    { type: 'messaging', system: 'kafka', topic: 'jobs', to: 'export-worker' },
    { type: 'db', system: 'postgresql', db: 'jobs', statements: sql('jobs') },
    { type: 'http', to: 'search', route: '/internal/reindex' },
  ] },
  { name: 'cart', namespace: 'shop', language: 'dotnet', operations: ['CartService/GetCart', 'CartService/AddItem'], calls: [
    { type: 'db', system: 'redis', db: '0', statements: ['HGETALL cart:{id}', 'HSET cart:{id} item qty', 'EXPIRE cart:{id} 3600'] },
  ] },
  { name: 'catalog', namespace: 'shop', language: 'go', operations: ['CatalogService/GetProduct', 'CatalogService/ListProducts'], calls: [
    { type: 'db', system: 'postgresql', db: 'catalog', statements: sql('products') },
    { type: 'grpc', to: 'currency', service: 'CurrencyService', method: 'Convert' },
  ] },
  { name: 'checkout', namespace: 'shop', language: 'go', operations: ['POST /api/checkout'], calls: [
    { type: 'grpc', to: 'payment', service: 'PaymentService', method: 'Charge' },
    { type: 'grpc', to: 'shipping', service: 'ShippingService', method: 'Quote' },
    { type: 'grpc', to: 'currency', service: 'CurrencyService', method: 'Convert' },
    { type: 'grpc', to: 'cart', service: 'CartService', method: 'GetCart' },
    { type: 'messaging', system: 'kafka', topic: 'orders', to: 'email' },
    { type: 'messaging', system: 'kafka', topic: 'orders', to: 'fraud' },
    { type: 'db', system: 'postgresql', db: 'orders', statements: sql('orders') },
  ] },
  { name: 'search', namespace: 'shop', language: 'python', operations: ['GET /api/search', 'POST /internal/reindex'], calls: [
    { type: 'db', system: 'elasticsearch', db: 'products', statements: ['GET /products/_search', 'POST /products/_bulk'] },
    { type: 'grpc', to: 'catalog', service: 'CatalogService', method: 'ListProducts' },
  ] },
  { name: 'auth', namespace: 'identity', language: 'rust', operations: ['AuthService/Verify'], calls: [
    { type: 'db', system: 'redis', db: '1', statements: ['GET session:{id}', 'SETEX session:{id} 900 token'] },
    { type: 'grpc', to: 'users', service: 'UserService', method: 'GetUser' },
  ] },
  { name: 'users', namespace: 'identity', language: 'java', operations: ['UserService/GetUser'], calls: [
    { type: 'db', system: 'postgresql', db: 'users', statements: sql('users') },
  ] },
  { name: 'recommendation', namespace: 'shop', language: 'python', operations: ['RecommendationService/List'], calls: [
    { type: 'grpc', to: 'catalog', service: 'CatalogService', method: 'ListProducts' },
    { type: 'db', system: 'mongodb', db: 'reco', statements: ['find reco.events', 'aggregate reco.scores'] },
  ] },
  { name: 'ad', namespace: 'marketing', language: 'java', operations: ['AdService/GetAds'], calls: [
    { type: 'db', system: 'redis', db: '2', statements: ['ZRANGE ads:{ctx} 0 5'] },
  ] },
  { name: 'currency', namespace: 'shop', language: 'cpp', operations: ['CurrencyService/Convert'], calls: [] },
  { name: 'payment', namespace: 'payments', language: 'nodejs', operations: ['PaymentService/Charge'], calls: [
    { type: 'http', to: 'fraud', route: '/score' },
    { type: 'db', system: 'postgresql', db: 'payments', statements: sql('charges') },
  ] },
  { name: 'shipping', namespace: 'logistics', language: 'rust', operations: ['ShippingService/Quote', 'ShippingService/Ship'], calls: [
    { type: 'http', to: 'carrier-proxy', route: '/rates' },
  ] },
  { name: 'carrier-proxy', namespace: 'logistics', language: 'go', operations: ['GET /rates'], calls: [] },
  { name: 'email', namespace: 'notify', language: 'ruby', operations: ['orders process'], calls: [
    { type: 'http', to: 'templates', route: '/render' },
  ] },
  { name: 'templates', namespace: 'notify', language: 'php', operations: ['POST /render'], calls: [] },
  { name: 'fraud', namespace: 'payments', language: 'python', operations: ['orders process', 'POST /score'], calls: [
    { type: 'db', system: 'cassandra', db: 'fraud', statements: ['SELECT score FROM fraud.signals WHERE account = ?'] },
  ] },
  { name: 'orders', namespace: 'shop', language: 'kotlin', operations: ['GET /orders', 'POST /orders'], calls: [
    { type: 'db', system: 'postgresql', db: 'orders', statements: sql('orders') },
    { type: 'messaging', system: 'kafka', topic: 'orders', to: 'fraud' },
    { type: 'grpc', to: 'users', service: 'UserService', method: 'GetUser' },
  ] },
  { name: 'export-worker', namespace: 'jobs', language: 'java', operations: ['jobs process'], calls: [
    { type: 'db', system: 'postgresql', db: 'jobs', statements: sql('exports') },
    { type: 'http', to: 'orders', route: '/orders' },
  ] },
]

/** Services by name. */
export const SERVICE_BY_NAME = new Map(SERVICES.map((s) => [s.name, s]))

/** Entry services (weighted by position). */
export const ENTRY_SERVICES = ['frontend', 'frontend', 'frontend', 'api-gateway', 'api-gateway', 'batch-scheduler']
