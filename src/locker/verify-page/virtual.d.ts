/** The bundled verify.html script, made at build time by ./bundle.ts. */
declare module 'virtual:liveproof/verify-script' {
  const script: string;
  export default script;
}
