export * from './schema';
export * from './evidence-store';
export * from './keys';
export * from './cases';
