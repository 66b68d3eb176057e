import { render } from 'preact';
import { initLanguage } from '../i18n';
import { Options } from './Options';
import '../ui/base.css';
import './options.css';

void initLanguage().then(() => render(<Options />, document.getElementById('app')!));
