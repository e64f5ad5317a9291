import { defineBatonBuild } from '../../tsup.base';

export default defineBatonBuild();
