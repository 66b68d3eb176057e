export * from './schema';
export * from './evidence-store';
