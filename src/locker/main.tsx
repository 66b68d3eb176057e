import { render } from 'preact';
import { applyDocumentLanguage, t } from '../i18n';
import { Locker } from './Locker';
import '../ui/base.css';
import './locker.css';

applyDocumentLanguage();
document.title = t('lockerDocTitle');
render(<Locker />, document.getElementById('app')!);
