export * from './layout';
export * from './manifest';
export * from './build';
export * from './zip';
export * from './verify';
